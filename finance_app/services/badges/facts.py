"""What badge rules measure, read once per evaluation from the ledger core and a few counts.

Every figure is computed on first use and kept, so evaluating every rule costs a handful of
grouped queries (the ledger summary by month, balances by day, one GROUP BY over the counting
lines by day) whatever the number of rules, and rules already earned never trigger theirs.
The facts are those of one viewer's Scope, so a member's private accounts count only for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import and_, case, func, select

from finance_app.db import DbSession
from finance_app.models.budget import MONTHLY, Budget
from finance_app.models.categorization import Rule
from finance_app.models.ledger import EXPENSE, ImportBatch, Transaction
from finance_app.services.budgets.budgets import BudgetStatus, compute_statuses
from finance_app.services.debts.records import DebtView, debt_views
from finance_app.services.imports.drafts import COMPLETED
from finance_app.services.ledger.balances import MONTH as BALANCE_MONTH
from finance_app.services.ledger.balances import (
    NetWorthPoint,
    account_balances,
    net_worth_history,
)
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.cashflow import CashflowPoint, trend
from finance_app.services.ledger.lines import LedgerFilter, lines
from finance_app.services.ledger.periods import MONTH, DateRange, add_periods, period_start
from finance_app.services.ledger.query import LedgerQuery, as_date
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import Scope, in_scope


@dataclass(frozen=True)
class DayActivity:
    """One day of the counting lines: how many are uncategorized, and whether money went out."""

    day: date
    uncategorized: int
    spent: bool


@dataclass(frozen=True)
class GoalFigures:
    """A goal as badges see it (the goals feature's GoalProgress, reduced to what rules read)."""

    name: str
    kind: str
    saved: Decimal
    target: Decimal
    percent: Decimal


def _as_day(value: Any) -> date | None:
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return as_date(value)


class BadgeFacts:
    """The facts of one viewer's household on `today`, each read at most once."""

    def __init__(self, session: DbSession, scope: Scope, base_currency: str, today: date,
                 cache: LedgerCache | None = None) -> None:
        self.session, self.scope, self.base, self.today = session, scope, base_currency, today
        self.view = LedgerView(session, scope, base_currency, cache)
        self.this_month = period_start(today, MONTH)

    # ---------------------------------------------------------------- the ledger's span

    @cached_property
    def span(self) -> tuple[date | None, date | None]:
        """The first and the latest transaction day the viewer sees (None, None when empty)."""
        first, latest = self.session.execute(
            select(func.min(Transaction.date), func.max(Transaction.date))
            .where(*in_scope(Transaction, self.scope))
        ).one()
        return _as_day(first), _as_day(latest)

    @property
    def has_transactions(self) -> bool:
        return self.span[0] is not None

    # ---------------------------------------------------------------- money by month

    @cached_property
    def complete_months(self) -> tuple[CashflowPoint, ...]:
        """Income and spending of every whole month from the first transaction's month to the
        month before today's (the ledger core's monthly trend; at most its 120 months)."""
        first = self.span[0]
        if first is None or period_start(first, MONTH) >= self.this_month:
            return ()
        last = add_periods(self.this_month, MONTH, -1)
        q = LedgerQuery(self.scope, self.base, self.today,
                        DateRange(period_start(first, MONTH), self.this_month - timedelta(1)))
        points = trend(self.session, q, MONTH, self.view).points
        start = period_start(first, MONTH)
        return tuple(p for p in points if start <= p.start <= last)

    @cached_property
    def monthly_budget_statuses(self) -> tuple[BudgetStatus, ...]:
        """The household's monthly budgets with their last 12 months (the budgets service)."""
        has_budget = self.session.scalar(
            select(Budget.id).where(*in_scope(Budget, self.scope), Budget.period == MONTHLY)
            .limit(1))
        if has_budget is None:
            return ()
        statuses = compute_statuses(self.session, self.scope, self.base, self.today,
                                    view=self.view)
        return tuple(s for s in statuses if s.period == MONTHLY)

    @cached_property
    def budget_starts(self) -> dict[int, date]:
        """Each monthly budget's first month (months before it was set do not count)."""
        rows = self.session.execute(
            select(Budget.id, Budget.start_date)
            .where(*in_scope(Budget, self.scope), Budget.period == MONTHLY))
        return {budget_id: period_start(as_date(start), MONTH) for budget_id, start in rows}

    @cached_property
    def net_worth_month_ends(self) -> tuple[NetWorthPoint, ...]:
        """Net worth at the end of every whole month (the ledger core's balances)."""
        if not self.has_transactions:
            return ()
        end = self.this_month - timedelta(days=1)
        history = net_worth_history(self.session, self.scope, self.base, BALANCE_MONTH,
                                    end=end)
        return tuple(p for p in history.points if p.complete)

    # ---------------------------------------------------------------- days

    @cached_property
    def days(self) -> tuple[DayActivity, ...]:
        """Every day with counting lines (the ledger core's rules), oldest first: one GROUP BY."""
        ln = lines(LedgerFilter(self.scope, None, self.today))
        rows = self.session.execute(
            select(ln.c.date,
                   func.sum(case((ln.c.category_id.is_(None), 1), else_=0)),
                   func.sum(case((and_(ln.c.kind == EXPENSE, ln.c.amount < 0), 1), else_=0)))
            .group_by(ln.c.date).order_by(ln.c.date))
        return tuple(DayActivity(as_date(day), int(uncategorized or 0), bool(spent))
                     for day, uncategorized, spent in rows)

    # ---------------------------------------------------------------- other records

    def _first_created(self, model: Any, *where: Any) -> date | None:
        return _as_day(self.session.scalar(
            select(func.min(model.created_at)).where(*in_scope(model, self.scope), *where)))

    @cached_property
    def first_import_on(self) -> date | None:
        return _as_day(self.session.scalar(
            select(func.min(ImportBatch.completed_at))
            .where(*in_scope(ImportBatch, self.scope), ImportBatch.status == COMPLETED)))

    @cached_property
    def first_budget_on(self) -> date | None:
        return self._first_created(Budget)

    @cached_property
    def first_rule_on(self) -> date | None:
        return self._first_created(Rule)

    @cached_property
    def reviewed_count(self) -> int:
        """Transactions whose category a person set or confirmed."""
        return int(self.session.scalar(
            select(func.count()).select_from(Transaction)
            .where(*in_scope(Transaction, self.scope), Transaction.category_source == "user"))
            or 0)

    @cached_property
    def debts(self) -> tuple[DebtView, ...]:
        """The household's debts with what is owed today (linked ones from the ledger)."""
        return tuple(debt_views(self.session, self.scope, on_date=self.today))

    @cached_property
    def debt_paid_days(self) -> dict[int, date]:
        """Paid-off debts and the day they reached zero: a linked account's last transaction
        up to today, else the day the debt was last edited."""
        paid = [v for v in self.debts if v.balance <= 0]
        accounts = [v.debt.account for v in paid if v.debt.account is not None]
        balances = account_balances(self.session, self.scope, accounts, as_of=self.today)
        days = {}
        for view in paid:
            balance = balances.get(view.debt.account_id or -1)
            day = balance.last_date if balance is not None else None
            days[view.debt.id] = min(_as_day(day or view.debt.updated_at) or self.today,
                                     self.today)
        return days

    @cached_property
    def goals(self) -> tuple[GoalFigures, ...] | None:
        """The household's goals, or None while the goals feature is not installed."""
        try:
            from finance_app.services.goals.progress import list_goal_progress
        except ImportError:
            return None
        return tuple(
            GoalFigures(g.name, g.kind, g.saved, g.target, g.percent)
            for g in list_goal_progress(self.session, self.scope.household_id, self.today))
