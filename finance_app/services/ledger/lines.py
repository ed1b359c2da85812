"""The ledger as income/spending lines, aggregated in the database, converted to the base currency.

A "line" is a transaction, or one split line of a split transaction (split transactions count by
their lines' categories). A line counts when its transaction is not excluded, is not one half of a
transfer (transfer_peer_id is null) and its category is not of kind "transfer". Its kind is its
category's kind; an uncategorized line is spending when money goes out, income when it comes in.
Spending is net of refunds: a refund is a positive amount in an expense category.

Every figure is a GROUP BY over indexed columns (household_id, date), never rows loaded into Python.
Amounts in other currencies are grouped by day too and converted with the rate of that day (or the
latest before it), so conversion stays exact Decimal arithmetic on a handful of groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.sql import ColumnElement, Subquery

from finance_app.db import DbSession, Money
from finance_app.models.ledger import (
    EXPENSE,
    INCOME,
    TRANSFER,
    Account,
    Category,
    SplitLine,
    Transaction,
    transaction_tags,
)
from finance_app.money import ZERO
from finance_app.services.ledger.periods import MONTH, WEEK, YEAR
from finance_app.services.ledger.rates import RateBook
from finance_app.services.scope import Scope, scope_filter

# The "day of the exchange rate" key when no account needs conversion. A typed NULL, because
# PostgreSQL refuses a bare NULL constant in GROUP BY ("non-integer constant in GROUP BY").
NO_FX_DAY = cast(null(), Date)


@dataclass(frozen=True)
class Narrowing:
    """Lines of some categories only, of transactions with some tags or of one merchant (the
    reports' filters). The month summary knows none of these, so a narrowed figure is always
    counted from its days (`lines`/`aggregate`); an empty Narrowing narrows nothing."""

    # Category ids as given: a group stands for itself and its subcategories.
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    merchant: str = ""  # matched case-insensitively against the merchant (or raw description)

    def __bool__(self) -> bool:
        return bool(self.category_ids or self.tag_ids or self.merchant)


@dataclass(frozen=True)
class LedgerFilter:
    """Which lines a figure covers: what one viewer sees of a household, an optional date range
    and optional accounts."""

    scope: Scope
    start: date | None = None
    end: date | None = None
    account_ids: tuple[int, ...] = ()
    # Optional disjoint date spans inside start..end (e.g. this month, last month, a year ago),
    # so the database reads only those days rather than everything in between.
    spans: tuple[tuple[date, date], ...] = ()
    narrowing: Narrowing | None = None

    def between(self, start: date | None, end: date | None) -> LedgerFilter:
        return LedgerFilter(self.scope, start, end, self.account_ids, narrowing=self.narrowing)

    def only(self, spans: tuple[tuple[date, date], ...]) -> LedgerFilter:
        starts, ends = [s for s, _ in spans], [e for _, e in spans]
        return LedgerFilter(self.scope, min(starts), max(ends), self.account_ids, spans,
                            self.narrowing)


def transaction_filters(f: LedgerFilter) -> list[ColumnElement[bool]]:
    t = Transaction
    conditions: list[ColumnElement[bool]] = [
        t.is_excluded.is_(False),
        t.transfer_peer_id.is_(None),
    ]
    if f.spans:
        # Each span a whole index range (household, day from, day to): the database reads
        # those days only. With the bounds of all of them outside the OR, SQLite read every
        # day between the first span's start and the last one's end.
        conditions.append(or_(*[and_(scope_filter(t, f.scope), t.date >= s, t.date <= e)
                                for s, e in f.spans]))
    else:
        conditions.append(scope_filter(t, f.scope))
        if f.start is not None:
            conditions.append(t.date >= f.start)
        if f.end is not None:
            conditions.append(t.date <= f.end)
    if f.account_ids:
        conditions.append(t.account_id.in_(f.account_ids))
    if f.narrowing:
        conditions += narrowing_filters(f.narrowing)
    return conditions


def narrowing_filters(n: Narrowing) -> list[ColumnElement[bool]]:
    """The transaction-level part of a Narrowing (tags, merchant); categories are per line."""
    conditions: list[ColumnElement[bool]] = []
    if n.tag_ids:
        conditions.append(exists().where(transaction_tags.c.transaction_id == Transaction.id,
                                         transaction_tags.c.tag_id.in_(n.tag_ids)))
    if n.merchant:
        conditions.append(func.lower(merchant_expr()) == n.merchant.strip().lower())
    return conditions


def category_condition(category_id: Any, n: Narrowing | None) -> ColumnElement[bool] | None:
    """Lines whose category (`category_id`, a column) is one of the Narrowing's categories or a
    subcategory of one; None when it names no categories."""
    if not n or not n.category_ids:
        return None
    children = select(Category.id).where(Category.parent_id.in_(n.category_ids))
    return or_(category_id.in_(n.category_ids), category_id.in_(children))


def merchant_expr() -> ColumnElement[str]:
    return case((Transaction.merchant != "", Transaction.merchant),
                else_=Transaction.raw_description)


def lines(f: LedgerFilter, *, merchant: bool = False) -> Subquery:
    """The counting lines of `f` with their kind, currency and category group.

    The merchant column is only read when asked for: without it the database can answer from
    the covering index ix_transactions_ledger_lines and never touch the wide table rows.
    """
    t = Transaction
    conditions = transaction_filters(f)
    has_splits = exists().where(SplitLine.transaction_id == t.id)
    extra = [merchant_expr().label("merchant")] if merchant else []
    whole = select(
        t.id.label("transaction_id"), t.date.label("date"), t.account_id.label("account_id"),
        t.category_id.label("category_id"), t.amount.label("amount"), *extra,
    ).where(*conditions, ~has_splits)
    parts = select(
        t.id, t.date, t.account_id, SplitLine.category_id, SplitLine.amount, *extra,
    ).join(SplitLine, SplitLine.transaction_id == t.id).where(*conditions)
    raw = whole.union_all(parts).subquery("raw_lines")
    in_categories = category_condition(raw.c.category_id, f.narrowing)
    kind = case(
        (Category.kind.is_not(None), Category.kind),
        (raw.c.amount < 0, EXPENSE),
        else_=INCOME,
    )
    return (
        select(
            raw.c.transaction_id, raw.c.date, raw.c.account_id, raw.c.category_id,
            func.coalesce(Category.parent_id, Category.id).label("group_id"),
            kind.label("kind"), type_coerce(raw.c.amount, Money()).label("amount"),
            *([raw.c.merchant] if merchant else []), Account.currency.label("currency"),
        )
        .join(Account, Account.id == raw.c.account_id)
        .outerjoin(Category, Category.id == raw.c.category_id)
        .where(or_(Category.kind.is_(None), Category.kind != TRANSFER),
               *([in_categories] if in_categories is not None else []))
        .subquery("lines")
    )


def bucket(column: Any, granularity: str, dialect: str) -> ColumnElement[date]:
    """The first day of the week (Monday), month or year holding `column`, as a date."""
    if dialect == "postgresql":
        unit = {WEEK: "week", MONTH: "month", YEAR: "year"}[granularity]
        return cast(func.date_trunc(unit, column), Date)
    modifiers = {
        WEEK: ("-6 days", "weekday 1"),  # back six days, then forward to a Monday
        MONTH: ("start of month",),
        YEAR: ("start of year",),
    }[granularity]
    return type_coerce(func.date(column, *modifiers), Date)


def dialect_of(session: DbSession) -> str:
    return session.get_bind().dialect.name


# ------------------------------------------------------------------ aggregation


@dataclass
class Total:
    amount: Decimal = ZERO
    count: int = 0


@dataclass
class Aggregate:
    """Totals in the base currency by key, and the currencies that had no rate."""

    totals: dict[tuple, Total] = field(default_factory=lambda: defaultdict(Total))
    missing_rates: set[str] = field(default_factory=set)

    def amount(self, *key: Any) -> Decimal:
        total = self.totals.get(tuple(key))
        return total.amount if total else ZERO


def aggregate(
    session: DbSession,
    f: LedgerFilter,
    rates: RateBook,
    keys: Callable[[Subquery], Sequence[ColumnElement[Any]]],
    where: Callable[[Subquery], Iterable[ColumnElement[bool]]] | None = None,
    *,
    merchant: bool = False,
) -> Aggregate:
    """SUM of lines and COUNT of their transactions grouped by `keys(lines)`, in base currency."""
    ln = lines(f, merchant=merchant)
    key_columns = list(keys(ln))
    fx_day = case((ln.c.currency == rates.base, null()), else_=ln.c.date)
    stmt = (
        select(*key_columns, ln.c.currency, fx_day.label("fx_day"),
               type_coerce(func.sum(ln.c.amount), Money()),
               func.count(distinct(ln.c.transaction_id)))
        .group_by(*key_columns, ln.c.currency, fx_day)
    )
    if where is not None:
        stmt = stmt.where(*where(ln))
    result = Aggregate()
    width = len(key_columns)
    for row in session.execute(stmt):
        key = tuple(row[:width])
        currency, day, amount, count = row[width:]
        converted = rates.convert(amount or ZERO, currency, day)
        if converted is None:
            result.missing_rates.add(currency)
            continue
        total = result.totals[key]
        total.amount += converted
        total.count += int(count)
    return result


def spent(amount: Decimal) -> Decimal:
    """Spending is shown positive: the net outflow of expense lines (refunds reduce it)."""
    return -amount
