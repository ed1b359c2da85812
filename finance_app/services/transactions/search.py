"""The transactions query: a filter parsed from the URL, applied to the user's rows, paginated,
with the count and the sums per currency in one aggregate query."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from finance_app.db import DbSession
from finance_app.models.ledger import (
    Account,
    Category,
    SplitLine,
    Transaction,
    transaction_tags,
)
from finance_app.money import MoneyError, parse_amount
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.version import get_ledger_version
from finance_app.services.scope import Scope, in_scope, scope_filter, scoped
from finance_app.services.transactions.cashflow import non_transfer_filter, transfer_filter

PAGE_SIZE = 50
SORTS = ("date", "amount", "merchant")
DIRECTIONS = ("desc", "asc")
KINDS = ("income", "expense", "transfer")
FLAGS = ("yes", "no")
UNCATEGORIZED = "uncategorized"
MAX_TERMS = 6
MAX_PAGE = 100_000


@dataclass
class TransactionFilter:
    """What the transactions page shows; every field round-trips through the query string."""

    q: str = ""
    accounts: list[int] = field(default_factory=list)
    category: str = ""  # "" (any), "uncategorized", or a category id (a group includes its leaves)
    tag: int | None = None
    amount_min: Decimal | None = None  # compared with the absolute amount
    amount_max: Decimal | None = None
    date_from: date | None = None
    date_to: date | None = None
    days: int | None = None  # the last N days, so a saved view keeps rolling
    kind: str = ""
    pending: str = ""
    excluded: str = ""
    # Whose: "" (everyone's), "me" (accounts of the member looking) or a member's user id.
    member: str = ""
    sort: str = "date"
    direction: str = "desc"
    page: int = 1
    problems: list[str] = field(default_factory=list, compare=False)

    # ---------------------------------------------------------------- parsing

    @classmethod
    def from_query_string(cls, query: str) -> TransactionFilter:
        return cls.from_args(parse_qs(query.lstrip("?"), keep_blank_values=False))

    @classmethod
    def from_args(cls, args: Any) -> TransactionFilter:
        """Parse leniently: a bad value is dropped and reported in `problems`, never a 400."""
        get = _getter(args)
        f = cls()
        f.q = " ".join(get("q").split())[:200]
        for raw in _getlist(args, "account"):
            if raw.strip().isdigit():
                f.accounts.append(int(raw))
            elif raw.strip():
                f.problems.append("Unknown account ignored.")
        f.accounts = sorted(set(f.accounts))
        category = get("category").strip()
        if category == UNCATEGORIZED or category.isdigit():
            f.category = category
        elif category:
            f.problems.append("Unknown category ignored.")
        tag = get("tag").strip()
        if tag.isdigit():
            f.tag = int(tag)
        elif tag:
            f.problems.append("Unknown tag ignored.")
        f.amount_min = _amount(get("min"), "Minimum amount", f.problems)
        f.amount_max = _amount(get("max"), "Maximum amount", f.problems)
        f.date_from = _date(get("from"), "From date", f.problems)
        f.date_to = _date(get("to"), "To date", f.problems)
        days = get("days").strip()
        if days.isdigit() and 0 < int(days) <= 36_600:
            f.days = int(days)
        elif days:
            f.problems.append("Number of days ignored: enter a whole number of days.")
        f.kind = _choice(get("kind"), KINDS, "")
        f.pending = _choice(get("pending"), FLAGS, "")
        f.excluded = _choice(get("excluded"), FLAGS, "")
        member = get("member").strip()
        if member == "me" or member.isdigit():
            f.member = member
        elif member:
            f.problems.append("Unknown member ignored.")
        f.sort = _choice(get("sort"), SORTS, "date")
        f.direction = _choice(get("dir"), DIRECTIONS, "desc")
        page = get("page").strip()
        f.page = min(int(page), MAX_PAGE) if page.isdigit() and int(page) > 0 else 1
        return f

    # ---------------------------------------------------------------- serializing

    def to_pairs(self, *, page: bool = True) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        add = pairs.append
        if self.q:
            add(("q", self.q))
        for account in self.accounts:
            add(("account", str(account)))
        for key, value in (("category", self.category), ("kind", self.kind),
                           ("pending", self.pending), ("excluded", self.excluded),
                           ("member", self.member)):
            if value:
                add((key, value))
        if self.tag is not None:
            add(("tag", str(self.tag)))
        if self.amount_min is not None:
            add(("min", str(self.amount_min)))
        if self.amount_max is not None:
            add(("max", str(self.amount_max)))
        if self.date_from:
            add(("from", self.date_from.isoformat()))
        if self.date_to:
            add(("to", self.date_to.isoformat()))
        if self.days:
            add(("days", str(self.days)))
        if self.sort != "date":
            add(("sort", self.sort))
        if self.direction != "desc":
            add(("dir", self.direction))
        if page and self.page > 1:
            add(("page", str(self.page)))
        return pairs

    def to_query_string(self, *, page: bool = True) -> str:
        return urlencode(self.to_pairs(page=page))

    def with_changes(self, **changes: Any) -> TransactionFilter:
        return replace(self, problems=[], **changes)

    def sorted_by(self, column: str) -> TransactionFilter:
        """The filter sorted by `column`, toggling the direction when it already is."""
        if self.sort == column:
            direction = "asc" if self.direction == "desc" else "desc"
        else:
            direction = "asc" if column == "merchant" else "desc"
        return self.with_changes(sort=column, direction=direction, page=1)

    @property
    def is_filtered(self) -> bool:
        defaults = TransactionFilter()
        ignored = {"sort", "direction", "page", "problems"}
        return any(getattr(self, f.name) != getattr(defaults, f.name)
                   for f in fields(self) if f.name not in ignored)


@dataclass
class CurrencyTotal:
    currency: str
    count: int
    total: Decimal


@dataclass
class SearchResult:
    filter: TransactionFilter
    items: list[Transaction]
    count: int
    totals: list[CurrencyTotal]
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.items)


def filtered_query(
    session: DbSession, scope: Scope, flt: TransactionFilter, today: date | None = None
) -> Select[Transaction]:
    """The user's transactions matching `flt`, unordered; built on scoped()."""
    stmt = scoped(Transaction, scope)
    for condition in _conditions(session, scope, flt, today or date.today()):
        stmt = stmt.where(condition)
    return stmt


def search_transactions(
    session: DbSession, scope: Scope, flt: TransactionFilter, today: date | None = None,
    page_size: int = PAGE_SIZE, cache: LedgerCache | None = None,
) -> SearchResult:
    """One page of `flt`'s rows with the count and sums of them all. With a `cache`, the count
    and sums (a scan of every matching row) are kept per ledger version."""
    today = today or date.today()
    base = filtered_query(session, scope, flt, today)
    key = _totals_key(scope, flt, today) if cache is not None else None
    if cache is not None and key is not None:
        version = get_ledger_version(session, scope.household_id)
        totals = cache.fetch(scope.cache_key, version, "transaction_totals", key,
                             lambda: _totals_by_currency(session, scope, base))
    else:
        totals = _totals_by_currency(session, scope, base)
    count = sum(t.count for t in totals)
    pages = max(1, math.ceil(count / page_size))
    page = min(flt.page, pages)
    column = {"date": Transaction.date, "amount": Transaction.amount,
              "merchant": Transaction.merchant}[flt.sort]
    order: list[Any] = [column.asc(), Transaction.id.asc()] if flt.direction == "asc" else \
        [column.desc(), Transaction.id.desc()]
    # Deferred join: page through ids alone (an index-only walk), then load those 50 rows.
    page_ids = base.with_only_columns(Transaction.id).order_by(*order) \
        .offset((page - 1) * page_size).limit(page_size)
    items = list(session.scalars(
        scoped(Transaction, scope).where(Transaction.id.in_(page_ids.scalar_subquery()))
        .order_by(*order)
        .options(
            joinedload(Transaction.account),
            joinedload(Transaction.category).joinedload(Category.parent),
            selectinload(Transaction.attachments),
        )
    ).unique())
    return SearchResult(filter=flt, items=items, count=count, totals=totals, page=page,
                        pages=pages)


def _totals_key(scope: Scope, flt: TransactionFilter, today: date) -> tuple | None:
    """What the count and sums depend on besides the ledger version; None: not cacheable.

    Tags are left out: a tag added through the ORM collection does not bump the version."""
    if flt.tag is not None:
        return None
    ignored = {"sort", "direction", "page", "problems"}
    values = tuple((f.name, repr(getattr(flt, f.name))) for f in fields(flt)
                   if f.name not in ignored)
    # "me" and "the last N days" depend on who asks and on the day.
    return (*values, scope.member_id if flt.member == "me" else None,
            today if flt.days else None)


def _totals_by_currency(
    session: DbSession, scope: Scope, base: Select[Transaction]
) -> list[CurrencyTotal]:
    """Count and sum per currency in one aggregate query, exact (sums are never mixed across
    currencies).

    PostgreSQL groups by account (a hash aggregate). SQLite gets conditional sums instead: a
    GROUP BY steers its planner onto the (user, account, ...) index even when a text filter
    must read every row anyway, which is four times slower than scanning the table.
    """
    accounts_by_currency: dict[str, list[int]] = {}
    for account_id, currency in session.execute(
        select(Account.id, Account.currency).where(scope_filter(Account, scope))
    ):
        accounts_by_currency.setdefault(currency, []).append(account_id)
    currencies = sorted(accounts_by_currency) or ["USD"]
    found: dict[str, tuple[int, Decimal]] = {}
    if len(currencies) == 1:
        count, total = session.execute(
            base.with_only_columns(func.count(), func.sum(Transaction.amount)).order_by(None)
        ).one()
        found[currencies[0]] = (count, total)
    elif session.get_bind().dialect.name == "postgresql":
        currency_of = {a: c for c, ids in accounts_by_currency.items() for a in ids}
        for account_id, count, total in session.execute(
            base.with_only_columns(Transaction.account_id, func.count(),
                                   func.sum(Transaction.amount))
            .group_by(Transaction.account_id).order_by(None)
        ):
            previous = found.get(currency_of[account_id], (0, Decimal(0)))
            found[currency_of[account_id]] = (previous[0] + count, previous[1] + total)
    else:
        columns = []
        for currency in currencies:
            mine = Transaction.account_id.in_(accounts_by_currency[currency])
            columns += [func.count(case((mine, 1))), func.sum(case((mine, Transaction.amount)))]
        row = session.execute(base.with_only_columns(*columns).order_by(None)).one()
        for position, currency in enumerate(currencies):
            found[currency] = (row[2 * position], row[2 * position + 1])
    return [CurrencyTotal(currency, count, total if total is not None else Decimal(0))
            for currency, (count, total) in sorted(found.items()) if count]


def like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_condition(term: str, dialect: str = "postgresql") -> ColumnElement[bool]:
    """One search term in merchant, raw description or notes.

    PostgreSQL: ILIKE, served by the trigram GIN index. SQLite: plain LIKE, which is already
    case-insensitive for ASCII letters and about five times faster than lower(x) LIKE lower(y).
    """
    pattern = like_pattern(term)
    columns = (Transaction.merchant, Transaction.raw_description, Transaction.notes)
    if dialect == "sqlite":
        return or_(*(column.like(pattern, escape="\\") for column in columns))
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _conditions(
    session: DbSession, scope: Scope, flt: TransactionFilter, today: date
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    dialect = session.get_bind().dialect.name
    for term in flt.q.split()[:MAX_TERMS]:
        conditions.append(text_condition(term, dialect))
    if flt.accounts:
        conditions.append(Transaction.account_id.in_(flt.accounts))
    if flt.category == UNCATEGORIZED:
        conditions.append(Transaction.category_id.is_(None))
        conditions.append(~exists().where(SplitLine.transaction_id == Transaction.id))
    elif flt.category:
        ids = _category_and_children(session, scope, int(flt.category))
        conditions.append(or_(
            Transaction.category_id.in_(ids),
            exists().where(SplitLine.transaction_id == Transaction.id,
                           SplitLine.category_id.in_(ids)),
        ))
    if flt.tag is not None:
        conditions.append(exists().where(transaction_tags.c.transaction_id == Transaction.id,
                                         transaction_tags.c.tag_id == flt.tag))
    low, high = flt.amount_min, flt.amount_max
    if low is not None or high is not None:
        # |amount| in [low, high], written as two ranges so the amount index stays usable.
        low = abs(low) if low is not None else Decimal(0)
        positive = Transaction.amount >= low
        negative = Transaction.amount <= -low
        if high is not None:
            positive = and_(positive, Transaction.amount <= abs(high))
            negative = and_(negative, Transaction.amount >= -abs(high))
        conditions.append(or_(positive, negative))
    if flt.date_from:
        conditions.append(Transaction.date >= flt.date_from)
    if flt.date_to:
        conditions.append(Transaction.date <= flt.date_to)
    if flt.days:
        conditions.append(Transaction.date > today - timedelta(days=flt.days))
    if flt.kind == "transfer":
        conditions.append(transfer_filter())
    elif flt.kind == "income":
        conditions.append(and_(non_transfer_filter(), Transaction.amount > 0))
    elif flt.kind == "expense":
        conditions.append(and_(non_transfer_filter(), Transaction.amount < 0))
    if flt.pending:
        conditions.append(Transaction.is_pending.is_(flt.pending == "yes"))
    if flt.excluded:
        conditions.append(Transaction.is_excluded.is_(flt.excluded == "yes"))
    if flt.member:
        conditions.append(Transaction.account_id.in_(
            member_account_ids(scope, scope.member_id if flt.member == "me" else int(flt.member))))
    return conditions


def member_account_ids(scope: Scope, member_id: int | None) -> Select[int]:
    """The accounts of one member of the household (that `scope` may see), as a subquery."""
    return select(Account.id).where(*in_scope(Account, scope), Account.owner_id == member_id)


def _category_and_children(session: DbSession, scope: Scope, category_id: int) -> list[int]:
    """The category and, for a group, its leaves; an id that is not the user's matches nothing."""
    return list(session.scalars(
        select(Category.id).where(
            scope_filter(Category, scope),
            or_(Category.id == category_id, Category.parent_id == category_id),
        )
    ))


# ---------------------------------------------------------------- parsing helpers


def _getlist(args: Any, key: str) -> list[str]:
    if hasattr(args, "getlist"):
        return [str(v) for v in args.getlist(key)]
    value = args.get(key, []) if isinstance(args, Mapping) else []
    return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]


def _getter(args: Any) -> Any:
    def get(key: str) -> str:
        values = _getlist(args, key)
        return values[0] if values else ""
    return get


def _choice(value: str, allowed: tuple[str, ...], default: str) -> str:
    value = value.strip().lower()
    return value if value in allowed else default


def _amount(raw: str, label: str, problems: list[str]) -> Decimal | None:
    if not raw.strip():
        return None
    try:
        value = abs(parse_amount(raw))
    except MoneyError:
        problems.append(f"{label} ignored: not an amount.")
        return None
    if value >= Decimal("1e14"):
        problems.append(f"{label} ignored: too large.")
        return None
    return value


def _date(raw: str, label: str, problems: list[str]) -> date | None:
    if not raw.strip():
        return None
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        problems.append(f"{label} ignored: use the YYYY-MM-DD format.")
        return None
    return value if date(1900, 1, 1) <= value <= date(2200, 12, 31) else None
