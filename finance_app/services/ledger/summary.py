"""The ledger by month, category and account: one GROUP BY, cached per month and ledger version.

Every month-aligned figure (cash flow, monthly and yearly trends, category spending and its
comparisons, monthly and yearly budgets, account balances and net worth) is derived from this
summary in Python, so a cold dashboard reads the months it shows once, from the covering index
ix_transactions_ledger_lines, instead of once per widget. Months are cached one by one (a
request asks only for those it lacks, in one query), so a page never scans years it does not
show. The counting rules are those of ledger.lines (which stays the reference, and serves
day-precise figures: weekly trends, custom ranges, merchants, a category's transactions):

- arm "T": every transaction, with a flag saying whether it counts (not excluded, not half of a
  linked transfer); balances use all of them;
- arm "X": split transactions again, to be subtracted, since they count by their lines;
- arm "S": the split lines, counted by their own categories.

Amounts in the base currency are grouped by month; other currencies also by day, so they are
converted with that day's rate exactly as ledger.lines.aggregate converts them. Derived totals
sum the raw amounts per (figure key, currency, day) before converting, which reproduces its
figures to the last digit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)

from finance_app.db import DbSession, Money
from finance_app.models.ledger import EXPENSE, INCOME, TRANSFER, Account, Category, SplitLine
from finance_app.models.ledger import Transaction as T
from finance_app.money import ZERO
from finance_app.services.ledger.cache import LedgerCache, NoCache
from finance_app.services.ledger.lines import (
    NO_FX_DAY,
    Aggregate,
    RateBook,
    bucket,
    dialect_of,
)
from finance_app.services.ledger.periods import MONTH, add_periods, period_end, period_starts
from finance_app.services.ledger.version import get_ledger_version, summary_stamps
from finance_app.services.scope import Scope, scope_filter

# The index the "T" arm is answered from (see the Transaction model and migration 0110).
SUMMARY_INDEX = "ix_transactions_ledger_lines"


class SummaryLine(NamedTuple):
    """Counting lines of one month, category, kind and account (and day, for other currencies)."""

    month: date
    category_id: int | None
    group_id: int | None
    kind: str
    account_id: int
    currency: str
    fx_day: date | None
    amount: Decimal
    # Distinct transactions. Summed over lines, exact per category; over several categories a
    # split transaction counts once per category (no figure counts across categories).
    count: int  # type: ignore[assignment]  # a field, deliberately over tuple.count()


@dataclass(frozen=True)
class MonthSummary:
    """One calendar month of the summary (plain data, cacheable)."""

    lines: tuple[SummaryLine, ...]
    # Sum of every transaction (excluded ones and transfers too) per account.
    accounts: dict[int, Decimal]


@dataclass(frozen=True)
class Lookups:
    """What the fold needs to know about the user's accounts and categories."""

    currencies: dict[int, str]
    categories: dict[int, tuple[str, int]]  # id -> (kind, group id)

    @classmethod
    def load(cls, session: DbSession, scope: Scope) -> Lookups:
        currencies = dict(session.execute(
            select(Account.id, Account.currency).where(scope_filter(Account, scope))
        ).all())
        categories = {
            cid: (kind, parent_id or cid) for cid, kind, parent_id in session.execute(
                select(Category.id, Category.kind, Category.parent_id)
                .where(scope_filter(Category, scope))
            )
        }
        return cls(currencies, categories)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def build_months(session: DbSession, scope: Scope, base: str, first: date, last: date,
                 lookups: Lookups | None = None) -> dict[date, MonthSummary]:
    """Every month from `first` to `last` (month starts): one GROUP BY, three arms."""
    lookups = lookups or Lookups.load(session, scope)
    dialect = dialect_of(session)
    foreign = sorted(a for a, currency in lookups.currencies.items() if currency != base)
    month = bucket(T.date, MONTH, dialect)
    counts = and_(T.is_excluded.is_(False), T.transfer_peer_id.is_(None))
    fx_day = case((T.account_id.in_(foreign), T.date), else_=null()) if foreign else NO_FX_DAY
    in_range = and_(scope_filter(T, scope), T.date >= first, T.date <= period_end(last, MONTH))

    def arm(name: str, category: Any, amount: Any, count: Any, *where: Any) -> Any:
        negative = case((category.is_(None), amount < 0), else_=null())
        keys = [month, category, T.account_id, negative, counts, fx_day]
        return (select(literal(name), *keys, type_coerce(func.sum(amount), Money()), count)
                .where(in_range, *where).group_by(*keys))

    whole = arm("T", T.category_id, T.amount, func.count())
    if dialect == "sqlite":
        # Without statistics SQLite may pick a narrower index and read every table row.
        whole = whole.with_hint(T, f"INDEXED BY {SUMMARY_INDEX}", "sqlite")
    cancel = arm("X", T.category_id, T.amount, func.count(),
                 exists().where(SplitLine.transaction_id == T.id))
    parts = arm("S", SplitLine.category_id, SplitLine.amount, func.count(distinct(T.id))
                ).join_from(T, SplitLine, SplitLine.transaction_id == T.id)

    folded: dict[tuple, list] = {}
    accounts: dict[date, dict[int, Decimal]] = defaultdict(dict)
    # Core rows on the session's connection (no ORM result machinery), and each month's text
    # parsed once: a cold summary of five years is thousands of rows.
    months_seen: dict[Any, date] = {}
    rows = session.connection().execute(union_all(whole, cancel, parts))
    for name, start, category_id, account_id, negative, counted, day, amount, count in rows:
        start = months_seen.get(start) or months_seen.setdefault(start, _as_date(start))
        amount = amount or ZERO
        if name == "T":
            per_account = accounts[start]
            per_account[account_id] = per_account.get(account_id, ZERO) + amount
        if not counted:
            continue
        if category_id is None:
            kind, group_id = (EXPENSE if negative else INCOME), None
        else:
            kind, group_id = lookups.categories.get(category_id, (EXPENSE, category_id))
            if kind == TRANSFER:
                continue
        key = (start, category_id, group_id, kind, account_id, lookups.currencies[account_id],
               _as_date(day) if day is not None else None)
        sign = -1 if name == "X" else 1
        slot = folded.setdefault(key, [ZERO, 0])
        slot[0] += sign * amount
        slot[1] += sign * int(count)
    by_month: dict[date, list[SummaryLine]] = defaultdict(list)
    for key, (amount, count) in folded.items():
        if count:  # a split transaction's whole and its cancellation leave nothing
            by_month[key[0]].append(SummaryLine(*key, amount, count))
    months = period_starts(first, last, MONTH)
    return {m: MonthSummary(tuple(by_month.get(m, ())), accounts.get(m, {})) for m in months}


def summarize(lines: Iterable[SummaryLine], rates: RateBook,
              key: Callable[[SummaryLine], tuple | None],
              account_ids: tuple[int, ...] = ()) -> Aggregate:
    """Totals in the base currency by `key(line)` (None leaves a line out), like aggregate()."""
    raw: dict[tuple, list] = {}
    for line in lines:
        if account_ids and line.account_id not in account_ids:
            continue
        k = key(line)
        if k is None:
            continue
        slot = raw.setdefault((k, line.currency, line.fx_day), [ZERO, 0])
        slot[0] += line.amount
        slot[1] += line.count
    result = Aggregate()
    for (k, currency, day), (amount, count) in raw.items():
        converted = rates.convert(amount, currency, day)
        if converted is None:
            result.missing_rates.add(currency)
            continue
        total = result.totals[k]
        total.amount += converted
        total.count += count
    return result


def _runs(months: list[date]) -> list[tuple[date, date]]:
    """Sorted month starts as runs of consecutive months (first, last)."""
    runs: list[list[date]] = []
    for start in months:
        if runs and add_periods(runs[-1][-1], MONTH, 1) == start:
            runs[-1].append(start)
        else:
            runs.append([start])
    return [(run[0], run[-1]) for run in runs]


V = TypeVar("V")


class LedgerView:
    """One request's way to a viewer's summary and rates: each month computed once, and again
    only after a write touches it."""

    def __init__(self, session: DbSession, scope: Scope, base: str,
                 cache: LedgerCache | None = None, version: int | None = None) -> None:
        self.session, self.scope, self.base = session, scope, base
        self.cache = cache or NoCache()
        self._version = version
        self._months: dict[date, MonthSummary] = {}
        self._others: dict[str, dict[date, Any]] = {}
        self._expected: set[date] = set()

    @property
    def version(self) -> int:
        if self._version is None:
            self._version = get_ledger_version(self.session, self.scope.household_id)
        return self._version

    @cached_property
    def lookups(self) -> Lookups:
        return Lookups.load(self.session, self.scope)

    @cached_property
    def rates(self) -> RateBook:
        return RateBook(self.session, self.scope, self.base)

    def expect(self, *spans: tuple[date, date]) -> None:
        """Months the request will read: fetched together with the first ones it asks for."""
        self._expected.update(m for first, last in spans
                              for m in period_starts(first, last, MONTH))

    @cached_property
    def stamps(self) -> tuple[int, dict[date, int]]:
        """The household's summary base and its months' stamps (ledger.version): a cached
        month stays good until a write touches that month."""
        return summary_stamps(self.session, self.scope.household_id)

    def load(self, months: Iterable[date]) -> None:
        """Make `months` (month starts) available: cached ones, the rest queried."""
        months = set(months)
        if months - self._months.keys():
            months |= self._expected
            self._expected = set()
        wanted = sorted(m for m in months if m not in self._months)
        if wanted:
            base, stamps = self.stamps
            found = self.cache.fetch_many(
                self.scope.cache_key, base, "ledger_month",
                [(self.base, m, stamps.get(m, 0)) for m in wanted], self._compute,
            )
            self._months.update({m: summary for (_, m, _), summary in found.items()})

    def _compute(self, missing: list[tuple[str, date, int]]
                 ) -> dict[tuple[str, date, int], MonthSummary]:
        """One query per run of consecutive missing months (normally one run)."""
        built: dict[date, MonthSummary] = {}
        for first, last in _runs(sorted(m for _, m, _ in missing)):
            built.update(build_months(self.session, self.scope, self.base, first, last,
                                      self.lookups))
        return {key: built[key[1]] for key in missing}

    def months_of(self, name: str, months: Iterable[date],
                  build: Callable[[date, date], dict[date, V]]) -> dict[date, V]:
        """Another figure kept by month like the summary (e.g. spending per merchant): cached
        under the same stamps, `build(first, last)` computing a run of missing months in one
        query. Values are memoized for the request."""
        memo: dict[date, Any] = self._others.setdefault(name, {})
        wanted = sorted(m for m in set(months) if m not in memo)
        if wanted:
            base, stamps = self.stamps

            def compute(missing: list[tuple[str, date, int]]) -> dict[tuple[str, date, int], V]:
                built: dict[date, V] = {}
                for first, last in _runs(sorted(m for _, m, _ in missing)):
                    built.update(build(first, last))
                return {key: built[key[1]] for key in missing}

            found = self.cache.fetch_many(self.scope.cache_key, base, name,
                                          [(self.base, m, stamps.get(m, 0)) for m in wanted],
                                          compute)
            memo.update({m: value for (_, m, _), value in found.items()})
        return {m: memo[m] for m in months}

    def month(self, start: date) -> MonthSummary:
        self.load([start])
        return self._months[start]

    def lines(self, *spans: tuple[date, date]) -> Iterator[SummaryLine]:
        """Summary lines of every month touching the spans (each month once), oldest first."""
        months = sorted({m for first, last in spans for m in period_starts(first, last, MONTH)})
        self.load(months)
        for start in months:
            yield from self._months[start].lines
