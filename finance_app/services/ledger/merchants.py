"""Spending per merchant over a range, by the counting rules of ledger.lines.

Merchants are not in the monthly summary (their names would multiply its rows), so they are
kept beside it by month: each calendar month's spending per (merchant, account, day of a foreign
amount) is cached under the summary's month stamps (ledger.version), and a range reads its whole
months from there and only the days around them from the ledger. Five years after a write to
today is then one month read again, not sixty. A narrowed query (some categories, tags, one
merchant) reads its days: its lines are not those of the months.

Whole transactions are grouped by merchant and category (kinds resolved here), split lines
grouped with their categories' kinds in SQL (a split counts once per merchant). Amounts are
summed per (merchant, currency, day of a foreign amount) before conversion, so the totals are
those of one query over the range to the last digit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, null, or_, select, type_coerce

from finance_app.db import DbSession, Money
from finance_app.models.ledger import EXPENSE, INCOME, Category, SplitLine, Transaction
from finance_app.money import ZERO
from finance_app.services.ledger.lines import (
    NO_FX_DAY,
    LedgerFilter,
    Total,
    bucket,
    category_condition,
    dialect_of,
    merchant_expr,
    transaction_filters,
)
from finance_app.services.ledger.periods import MONTH, period_end, period_starts
from finance_app.services.ledger.query import LedgerQuery, as_date, view_of
from finance_app.services.ledger.spans import whole_months
from finance_app.services.ledger.summary import LedgerView, Lookups

# (merchant, account id, day of a foreign amount or None) -> [spent (negative), count]
MerchantSums = dict[tuple[str, int, date | None], list]


@dataclass(frozen=True)
class MerchantRow:
    name: str
    spent: Decimal
    count: int


@dataclass(frozen=True)
class Merchants:
    by_amount: tuple[MerchantRow, ...]
    by_count: tuple[MerchantRow, ...]


def top_merchants(session: DbSession, q: LedgerQuery, view: LedgerView | None = None,
                  limit: int = 8) -> Merchants:
    """The merchants with the most spending, and with the most purchases, in the range."""
    view = view_of(session, q, view)
    months, edges = (None, [q.range]) if q.is_narrowed else whole_months(q.range)
    parts: list[MerchantSums] = []
    if months is not None:
        build = lambda first, last: _months(session, view, first, last)  # noqa: E731
        parts += view.months_of("merchant_month", period_starts(months.start, months.end,
                                                                MONTH), build).values()
    for edge in edges:
        f = LedgerFilter(q.scope, edge.start, edge.end, q.account_ids, narrowing=q.narrowing)
        parts.append(_sums(session, view.lookups, f, q.base_currency, by_month=False)[None])
    wanted = set(q.account_ids)
    raw: dict[tuple[str, str, date | None], list] = {}
    for sums in parts:
        for (name, account_id, day), (amount, count) in sums.items():
            if wanted and account_id not in wanted:
                continue
            slot = raw.setdefault((name, view.lookups.currencies[account_id], day), [ZERO, 0])
            slot[0] += amount
            slot[1] += count
    totals: dict[str, Total] = defaultdict(Total)
    for (name, currency, day), (amount, count) in raw.items():
        converted = view.rates.convert(amount, currency, day)
        if converted is None:
            continue
        totals[name].amount += converted
        totals[name].count += count
    rows = [MerchantRow(name or "(no description)", -v.amount, v.count)
            for name, v in totals.items() if v.amount < 0]
    by_amount = sorted(rows, key=lambda r: (-r.spent, r.name))[:limit]
    by_count = sorted(rows, key=lambda r: (-r.count, -r.spent, r.name))[:limit]
    return Merchants(tuple(by_amount), tuple(by_count))


def _months(session: DbSession, view: LedgerView, first: date, last: date
            ) -> dict[date, MerchantSums]:
    """Every month from `first` to `last` (month starts), all of the viewer's accounts."""
    f = LedgerFilter(view.scope, first, period_end(last, MONTH))
    found = _sums(session, view.lookups, f, view.base, by_month=True)
    return {m: found.get(m, {}) for m in period_starts(first, last, MONTH)}


def _sums(session: DbSession, lookups: Lookups, f: LedgerFilter, base_currency: str,
          by_month: bool) -> dict[date | None, MerchantSums]:
    """Spending per merchant of the lines `f` covers, per month (or under None)."""
    t = Transaction
    foreign = [a for a, currency in lookups.currencies.items() if currency != base_currency]
    fx_day = case((t.account_id.in_(foreign), t.date), else_=null()) if foreign else NO_FX_DAY
    month = [bucket(t.date, MONTH, dialect_of(session))] if by_month else []
    merchant, conditions = merchant_expr(), transaction_filters(f)
    negative = case((t.category_id.is_(None), t.amount < 0), else_=null())
    whole_keys = [*month, merchant, t.category_id, negative, t.account_id, fx_day]
    whole_category = category_condition(t.category_id, f.narrowing)
    part_category = category_condition(SplitLine.category_id, f.narrowing)
    whole = (
        select(*whole_keys, type_coerce(func.sum(t.amount), Money()), func.count())
        .where(*conditions, ~exists().where(SplitLine.transaction_id == t.id),
               *([whole_category] if whole_category is not None else []))
        .group_by(*whole_keys)
    )
    spending_line = or_(Category.kind == EXPENSE,
                        and_(Category.id.is_(None), SplitLine.amount < 0))
    if part_category is not None:
        spending_line = and_(spending_line, part_category)
    part_keys = [*month, merchant, t.account_id, fx_day]
    parts = (
        select(*part_keys, type_coerce(func.sum(SplitLine.amount), Money()),
               func.count(distinct(t.id)))
        .join_from(t, SplitLine, SplitLine.transaction_id == t.id)
        .outerjoin(Category, Category.id == SplitLine.category_id)
        .where(*conditions, spending_line)
        .group_by(*part_keys)
    )
    found: dict[date | None, MerchantSums] = defaultdict(dict)
    months_seen: dict[Any, date | None] = {None: None}

    def add(bucket_month: Any, name: str, account_id: int, day: Any, amount: Decimal | None,
            count: int) -> None:
        if bucket_month not in months_seen:
            months_seen[bucket_month] = as_date(bucket_month)
        sums = found[months_seen[bucket_month]]
        slot = sums.setdefault((name, account_id, None if day is None else as_date(day)),
                               [ZERO, 0])
        slot[0] += amount or ZERO
        slot[1] += int(count)

    def rows(stmt: Any) -> Iterable[tuple[Any, ...]]:
        result = session.connection().execute(stmt)
        return result if by_month else ((None, *row) for row in result)

    for bucket_month, name, category_id, is_negative, account_id, day, amount, count in rows(
            whole):
        kind = ((EXPENSE if is_negative else INCOME) if category_id is None
                else lookups.categories.get(category_id, (EXPENSE, 0))[0])
        if kind == EXPENSE:
            add(bucket_month, name, account_id, day, amount, count)
    for bucket_month, name, account_id, day, amount, count in rows(parts):
        add(bucket_month, name, account_id, day, amount, count)
    return found

