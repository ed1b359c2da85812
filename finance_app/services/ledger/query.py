"""What a ledger read asks for (household scope, currency, range, accounts) and the small
figures every view of it shares: percent change, savings rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.ledger import Transaction
from finance_app.money import quantize
from finance_app.services.ledger.lines import LedgerFilter, Narrowing
from finance_app.services.ledger.periods import MONTH, DateRange, period_end, period_start
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import Scope, in_scope


@dataclass(frozen=True)
class LedgerQuery:
    scope: Scope
    base_currency: str
    today: date
    range: DateRange
    account_ids: tuple[int, ...] = ()
    # Only some categories, tags or a merchant (reports): figures then come from the days.
    narrowing: Narrowing | None = None

    @property
    def ledger(self) -> LedgerFilter:
        return LedgerFilter(self.scope, self.range.start, self.range.end, self.account_ids,
                            narrowing=self.narrowing)

    @property
    def is_narrowed(self) -> bool:
        return bool(self.narrowing)

    @property
    def as_of(self) -> date:
        """Balances are shown at the end of the range, or today when the range runs on."""
        return min(self.range.end, self.today)

    def key(self) -> tuple:
        return (self.base_currency, self.today, self.range, self.account_ids, self.narrowing)


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def percent_change(current: Decimal, before: Decimal) -> Decimal | None:
    if before == 0:
        return None
    return quantize((current - before) * 100 / abs(before), Decimal("0.1"))


def savings_rate(income: Decimal, expense: Decimal) -> Decimal | None:
    if income <= 0:
        return None
    return quantize((income - expense) * 100 / income, Decimal("0.1"))


def view_of(session: DbSession, q: LedgerQuery, view: LedgerView | None) -> LedgerView:
    """The shared ledger summary of a composed read, or a fresh one for a read on its own."""
    return view or LedgerView(session, q.scope, q.base_currency)


def latest_transaction_date(session: DbSession, scope: Scope,
                            account_ids: tuple[int, ...] = ()) -> date | None:
    """The date of the household's latest transaction (in these accounts), or None."""
    query = select(func.max(Transaction.date)).where(*in_scope(Transaction, scope))
    if account_ids:
        query = query.where(Transaction.account_id.in_(account_ids))
    latest = session.scalar(query)
    return latest if latest is None or isinstance(latest, date) else date.fromisoformat(latest)


def moved_to_latest(q: LedgerQuery, latest: date | None) -> tuple[LedgerQuery, bool]:
    """The query, moved to the month of the latest transaction (`latest`) when its range starts
    after it (a file from 2025 imported in December 2026); True when it was moved."""
    if latest is None or latest >= q.range.start:
        return q, False
    start = period_start(latest, MONTH)
    month = DateRange(start, period_end(start, MONTH))
    return LedgerQuery(q.scope, q.base_currency, q.today, month, q.account_ids), True

