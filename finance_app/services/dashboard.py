"""The dashboard's figures: derived from the monthly ledger summary, each cached per version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)

from finance_app.db import DbSession, Money
from finance_app.models.ledger import EXPENSE, INCOME, Account, Category, SplitLine, Transaction
from finance_app.money import ZERO, quantize
from finance_app.services.budgets.budgets import BudgetStatus, list_statuses
from finance_app.services.ledger.balances import MONTH as BALANCE_MONTH
from finance_app.services.ledger.balances import NetWorthPoint, account_balances, net_worth_history
from finance_app.services.ledger.cache import LedgerCache, NoCache
from finance_app.services.ledger.lines import (
    NO_FX_DAY,
    LedgerFilter,
    Total,
    aggregate,
    bucket,
    dialect_of,
    lines,
    merchant_expr,
    transaction_filters,
)
from finance_app.services.ledger.periods import (
    GRANULARITIES,
    MONTH,
    WEEK,
    YEAR,
    DateRange,
    add_periods,
    period_end,
    period_start,
)
from finance_app.services.ledger.rates import convert_many
from finance_app.services.ledger.summary import LedgerView, SummaryLine, summarize
from finance_app.services.ledger.version import get_ledger_version
from finance_app.services.scope import Scope, owned, scope_filter, scoped

UNCATEGORIZED = "Uncategorized"
# How many buckets a trend shows at least, and at most.
TREND_MIN = {WEEK: 12, MONTH: 12, YEAR: 5}
TREND_MAX = {WEEK: 104, MONTH: 120, YEAR: 30}


@dataclass(frozen=True)
class DashboardQuery:
    scope: Scope
    base_currency: str
    today: date
    range: DateRange
    account_ids: tuple[int, ...] = ()

    @property
    def ledger(self) -> LedgerFilter:
        return LedgerFilter(self.scope, self.range.start, self.range.end, self.account_ids)

    @property
    def as_of(self) -> date:
        """Balances are shown at the end of the range, or today when the range runs on."""
        return min(self.range.end, self.today)

    def key(self) -> tuple:
        return (self.base_currency, self.today, self.range, self.account_ids)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def percent_change(current: Decimal, before: Decimal) -> Decimal | None:
    if before == 0:
        return None
    return quantize((current - before) * 100 / abs(before), Decimal("0.1"))


def savings_rate(income: Decimal, expense: Decimal) -> Decimal | None:
    if income <= 0:
        return None
    return quantize((income - expense) * 100 / income, Decimal("0.1"))


# ------------------------------------------------------------------ cash flow


@dataclass(frozen=True)
class CashflowPoint:
    start: date
    end: date
    income: Decimal
    expense: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expense

    @property
    def savings_rate(self) -> Decimal | None:
        return savings_rate(self.income, self.expense)


@dataclass(frozen=True)
class Cashflow:
    period: CashflowPoint
    months: tuple[CashflowPoint, ...]
    missing_rates: frozenset[str]


def _income_expense(totals: dict[tuple, Any], *prefix: Any) -> tuple[Decimal, Decimal]:
    income = totals.get((*prefix, INCOME))
    expense = totals.get((*prefix, EXPENSE))
    return (income.amount if income else ZERO), -(expense.amount if expense else ZERO)


def _view(session: DbSession, q: DashboardQuery, view: LedgerView | None) -> LedgerView:
    return view or LedgerView(session, q.scope, q.base_currency)


def cashflow(session: DbSession, q: DashboardQuery, view: LedgerView | None = None) -> Cashflow:
    """Income, spending and savings rate of the range, and of the 12 months ending with it."""
    view = _view(session, q, view)
    last = period_start(q.range.end, MONTH)
    first = add_periods(last, MONTH, -11)
    if q.range.months:
        whole = summarize(view.lines((q.range.start, q.range.end)), view.rates,
                          lambda line: (line.kind,), q.account_ids)
    else:  # a custom range that cuts through months: count its days
        whole = aggregate(session, q.ledger, view.rates, lambda ln: [ln.c.kind])
    income, expense = _income_expense(whole.totals)
    by_month = summarize(view.lines((first, last)), view.rates,
                         lambda line: (line.month, line.kind), q.account_ids)
    months = []
    for n in range(12):
        start = add_periods(first, MONTH, n)
        inc, exp = _income_expense(by_month.totals, start)
        months.append(CashflowPoint(start, period_end(start, MONTH), inc, exp))
    return Cashflow(
        CashflowPoint(q.range.start, q.range.end, income, expense), tuple(months),
        frozenset(whole.missing_rates | by_month.missing_rates),
    )


# ------------------------------------------------------------------ categories


@dataclass(frozen=True)
class CategoryRow:
    category_id: int | None
    name: str
    color: str
    group: str
    spent: Decimal
    previous: Decimal
    year_ago: Decimal
    count: int
    share: Decimal

    @property
    def vs_previous(self) -> Decimal | None:
        return percent_change(self.spent, self.previous)

    @property
    def vs_year_ago(self) -> Decimal | None:
        return percent_change(self.spent, self.year_ago)

    @property
    def key(self) -> str:
        return "none" if self.category_id is None else str(self.category_id)


@dataclass(frozen=True)
class CategorySpending:
    rows: tuple[CategoryRow, ...]
    total: Decimal
    previous_total: Decimal
    year_ago_total: Decimal
    previous_label: str
    previous_range: DateRange
    year_ago_range: DateRange


def _category_names(session: DbSession, scope: Scope) -> dict[int, tuple[str, str, str]]:
    rows = session.execute(
        select(Category.id, Category.name, Category.color, Category.parent_id)
        .where(scope_filter(Category, scope))
    ).all()
    names = {r.id: r.name for r in rows}
    return {r.id: (r.name, r.color, names.get(r.parent_id, "") if r.parent_id else "")
            for r in rows}


def category_spending(session: DbSession, q: DashboardQuery,
                      view: LedgerView | None = None) -> CategorySpending:
    """Spending per category in the range, the period before it and the same period a year ago."""
    view = _view(session, q, view)
    current, previous, year_ago = q.range, q.range.previous(), q.range.year_ago()
    spans = (("cur", current), ("prev", previous), ("ya", year_ago))
    if current.months:  # whole months (then all three are): from the summary
        def span_of(line: SummaryLine) -> tuple | None:
            if line.kind != EXPENSE:
                return None
            for name, r in spans:  # the first span holding it, as the CASE below does
                if r.start <= line.month <= r.end:
                    return (name, line.category_id)
            return None

        agg = summarize(view.lines(*[(r.start, r.end) for _, r in spans]), view.rates, span_of,
                        q.account_ids)
    else:
        def which(ln: Any) -> Any:
            return case(*[(and_(ln.c.date >= r.start, ln.c.date <= r.end), literal(name))
                          for name, r in spans])

        agg = aggregate(
            session, q.ledger.only(tuple((r.start, r.end) for _, r in spans)), view.rates,
            lambda ln: [which(ln), ln.c.category_id],
            lambda ln: [ln.c.kind == EXPENSE],
        )
    by_category: dict[int | None, dict[str, Any]] = defaultdict(dict)
    for (span, category_id), total in agg.totals.items():
        if span is None:
            continue
        by_category[category_id][span] = total
    names = _category_names(session, q.scope)
    total_spent = sum((-v["cur"].amount for v in by_category.values() if "cur" in v), ZERO)
    rows = []
    for category_id, spans_totals in by_category.items():
        def spent(span: str, totals: dict = spans_totals) -> Decimal:
            return -totals[span].amount if span in totals else ZERO

        name, color, group = names.get(category_id, (UNCATEGORIZED, "#9ca3af", "")) \
            if category_id is not None else (UNCATEGORIZED, "#9ca3af", "")
        cur = spent("cur")
        share = quantize(cur * 100 / total_spent, Decimal("0.1")) if total_spent > 0 else ZERO
        rows.append(CategoryRow(
            category_id, name, color, group, cur, spent("prev"), spent("ya"),
            spans_totals["cur"].count if "cur" in spans_totals else 0, share,
        ))
    rows.sort(key=lambda r: (-r.spent, -r.previous, r.name))
    months = q.range.months
    label = ("last month" if months == 1 else "last year" if months == 12 and
             q.range.start.month == 1 else "the previous period")
    return CategorySpending(
        tuple(rows), total_spent,
        sum((r.previous for r in rows), ZERO), sum((r.year_ago for r in rows), ZERO),
        label, previous, year_ago,
    )


@dataclass(frozen=True)
class Comparison:
    name: str
    change: Decimal
    against: str
    current: Decimal
    before: Decimal


def comparisons(spending: CategorySpending, limit: int = 6) -> list[Comparison]:
    """The biggest movers: "Groceries +20% vs last month", "Dining −35% vs a year ago"."""
    found = []
    for row in spending.rows:
        if row.vs_previous is not None and row.spent != row.previous:
            found.append(Comparison(row.name, row.vs_previous, spending.previous_label,
                                    row.spent, row.previous))
        if row.vs_year_ago is not None and row.spent != row.year_ago:
            found.append(Comparison(row.name, row.vs_year_ago, "the same period last year",
                                    row.spent, row.year_ago))
    found.sort(key=lambda c: -abs(c.current - c.before))
    return found[:limit]


@dataclass(frozen=True)
class LineRow:
    transaction_id: int
    date: date
    merchant: str
    account: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class CategoryTransactions:
    category_id: int | None
    name: str
    rows: tuple[LineRow, ...]
    total_count: int


def category_transactions(session: DbSession, q: DashboardQuery, category_key: str,
                          limit: int = 50) -> CategoryTransactions:
    """The lines of one category ("none" = uncategorized) in the range, newest first."""
    if category_key == "none":
        category_id, name = None, UNCATEGORIZED
    else:
        category = owned(session, Category, category_key, q.scope)
        category_id, name = category.id, category.name
    ln = lines(q.ledger, merchant=True)
    match = ln.c.category_id.is_(None) if category_id is None else ln.c.category_id == category_id
    stmt = (
        select(ln.c.transaction_id, ln.c.date, ln.c.merchant, Account.name, ln.c.amount,
               ln.c.currency)
        .join(Account, Account.id == ln.c.account_id)
        .where(match)
        .order_by(ln.c.date.desc(), ln.c.transaction_id.desc())
        .limit(limit)
    )
    rows = tuple(LineRow(*r) for r in session.execute(stmt))
    count = session.execute(select(func.count()).select_from(ln).where(match)).scalar() or 0
    return CategoryTransactions(category_id, name, rows, int(count))


# ------------------------------------------------------------------ merchants


@dataclass(frozen=True)
class MerchantRow:
    name: str
    spent: Decimal
    count: int


@dataclass(frozen=True)
class Merchants:
    by_amount: tuple[MerchantRow, ...]
    by_count: tuple[MerchantRow, ...]


def top_merchants(session: DbSession, q: DashboardQuery, view: LedgerView | None = None,
                  limit: int = 8) -> Merchants:
    """Spending per merchant in the range, by the counting rules of ledger.lines.

    Merchants are not in the summary, so this reads the range's rows: whole transactions grouped
    by merchant and category (kinds are resolved here), split lines grouped with their
    categories' kinds in SQL (a split counts once per merchant).
    """
    view = _view(session, q, view)
    t, lookups = Transaction, view.lookups
    foreign = [a for a, currency in lookups.currencies.items() if currency != q.base_currency]
    fx_day = case((t.account_id.in_(foreign), t.date), else_=null()) if foreign else NO_FX_DAY
    merchant, conditions = merchant_expr(), transaction_filters(q.ledger)
    negative = case((t.category_id.is_(None), t.amount < 0), else_=null())
    whole_keys = [merchant, t.category_id, negative, t.account_id, fx_day]
    whole = (
        select(*whole_keys, type_coerce(func.sum(t.amount), Money()), func.count())
        .where(*conditions, ~exists().where(SplitLine.transaction_id == t.id))
        .group_by(*whole_keys)
    )
    spending_line = or_(Category.kind == EXPENSE,
                        and_(Category.id.is_(None), SplitLine.amount < 0))
    part_keys = [merchant, t.account_id, fx_day]
    parts = (
        select(*part_keys, type_coerce(func.sum(SplitLine.amount), Money()),
               func.count(distinct(t.id)))
        .join_from(t, SplitLine, SplitLine.transaction_id == t.id)
        .outerjoin(Category, Category.id == SplitLine.category_id)
        .where(*conditions, spending_line)
        .group_by(*part_keys)
    )
    raw: dict[tuple, list] = {}

    def add(name: str, account_id: int, day: Any, amount: Decimal | None, count: int) -> None:
        currency = lookups.currencies[account_id]
        slot = raw.setdefault((name, currency, None if day is None else _as_date(day)),
                              [ZERO, 0])
        slot[0] += amount or ZERO
        slot[1] += int(count)

    whole_rows: Iterable[tuple[Any, ...]] = session.execute(whole)
    for name, category_id, is_negative, account_id, day, amount, count in whole_rows:
        kind = ((EXPENSE if is_negative else INCOME) if category_id is None
                else lookups.categories.get(category_id, (EXPENSE, 0))[0])
        if kind == EXPENSE:
            add(name, account_id, day, amount, count)
    part_rows: Iterable[tuple[Any, ...]] = session.execute(parts)
    for name, account_id, day, amount, count in part_rows:
        add(name, account_id, day, amount, count)
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


# ------------------------------------------------------------------ trends


@dataclass(frozen=True)
class Trend:
    granularity: str
    points: tuple[CashflowPoint, ...]


def trend(session: DbSession, q: DashboardQuery, granularity: str,
          view: LedgerView | None = None) -> Trend:
    """Income and spending per week, month or year up to the end of the range."""
    if granularity not in GRANULARITIES:
        granularity = MONTH
    view = _view(session, q, view)
    last = period_start(q.range.end, granularity)
    first = period_start(q.range.start, granularity)
    span = 0
    cursor = first
    while cursor < last:
        cursor = add_periods(cursor, granularity, 1)
        span += 1
    count = min(max(span + 1, TREND_MIN[granularity]), TREND_MAX[granularity])
    first = add_periods(last, granularity, -(count - 1))
    if granularity == WEEK:  # weeks cut through months: count their days
        dialect = dialect_of(session)
        agg = aggregate(
            session, q.ledger.between(first, period_end(last, granularity)), view.rates,
            lambda ln: [bucket(ln.c.date, granularity, dialect), ln.c.kind],
        )
        totals = {(_as_date(k[0]), k[1]): v for k, v in agg.totals.items()}
    else:
        totals = summarize(
            view.lines((first, period_end(last, granularity))), view.rates,
            lambda line: (period_start(line.month, granularity), line.kind), q.account_ids,
        ).totals
    points = []
    for n in range(count):
        start = add_periods(first, granularity, n)
        income, expense = _income_expense(totals, start)
        points.append(CashflowPoint(start, period_end(start, granularity), income, expense))
    return Trend(granularity, tuple(points))


# ------------------------------------------------------------------ balances and net worth


@dataclass(frozen=True)
class AccountBalance:
    account_id: int
    name: str
    type_label: str
    currency: str
    balance: Decimal
    converted: Decimal | None
    is_liability: bool


@dataclass(frozen=True)
class Balances:
    accounts: tuple[AccountBalance, ...]
    history: tuple[NetWorthPoint, ...]
    missing_rates: frozenset[str] = field(default_factory=frozenset)

    @property
    def net_worth(self) -> Decimal:
        return self.history[-1].net if self.history else ZERO


def balances(session: DbSession, q: DashboardQuery, view: LedgerView | None = None) -> Balances:
    """Every account's balance on the balance date and net worth month by month up to it: both
    from the ledger's balance engine, so the figures are the net-worth page's and the accounts
    list's to the cent (twelve months, more when the range starts earlier)."""
    accounts = list(session.scalars(
        scoped(Account, q.scope).order_by(Account.is_archived, Account.name)
    ))
    if q.account_ids:
        accounts = [a for a in accounts if a.id in q.account_ids]
    as_of = q.as_of
    last = period_start(as_of, MONTH)
    first = add_periods(last, MONTH, -11)
    if q.range.start < first:
        first = max(period_start(q.range.start, MONTH), add_periods(last, MONTH, -119))
    history = net_worth_history(session, q.scope, q.base_currency, BALANCE_MONTH, start=first,
                                end=as_of, account_ids=[a.id for a in accounts] or [0])
    amounts = account_balances(session, q.scope, accounts, as_of=as_of)
    converted = convert_many(session, q.scope, [(amounts[a.id].balance, a.currency, as_of)
                                                for a in accounts], q.base_currency)
    rows = tuple(
        AccountBalance(a.id, a.name, a.type_label, a.currency, amounts[a.id].balance, value,
                       a.is_liability)
        for a, value in zip(accounts, converted.amounts, strict=True)
    )
    missing = {m.from_ccy for m in (*history.missing, *converted.missing)}
    return Balances(rows, tuple(history.points), frozenset(missing))


# ------------------------------------------------------------------ the page


WIDGETS = ("summary", "cashflow", "categories", "merchants", "trends", "balances", "budgets")


@dataclass
class Dashboard:
    query: DashboardQuery
    cashflow: Cashflow | None = None
    categories: CategorySpending | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    merchants: Merchants | None = None
    trend: Trend | None = None
    balances: Balances | None = None
    budgets: list[BudgetStatus] = field(default_factory=list)
    selected: CategoryTransactions | None = None

    @property
    def budget_total(self) -> tuple[Decimal, Decimal]:
        """(spent, available) over the monthly budgets."""
        monthly = [b for b in self.budgets if b.period == MONTH]
        return (sum((b.current.spent for b in monthly), ZERO),
                sum((b.current.available for b in monthly), ZERO))


def _months_shown(q: DashboardQuery, widgets: set[str]) -> list[tuple[date, date]]:
    """The month spans the summary widgets read, so one query can fetch them all at once."""
    spans = []
    if {"summary", "cashflow"} & widgets:
        last = period_start(q.range.end, MONTH)
        spans.append((add_periods(last, MONTH, -11), q.range.end))
    if {"summary", "cashflow", "categories"} & widgets and q.range.months:
        spans += [(r.start, r.end) for r in (q.range, q.range.previous(), q.range.year_ago())]
    if {"summary", "balances", "budgets"} & widgets:
        last = period_start(q.as_of, MONTH)
        spans.append((add_periods(last, MONTH, -11), q.as_of))
    return spans


def build_dashboard(session: DbSession, q: DashboardQuery, *, widgets: tuple[str, ...] = WIDGETS,
                    granularity: str = MONTH, category_key: str | None = None,
                    cache: LedgerCache | None = None) -> Dashboard:
    """The widgets asked for (all for the full page), each from the cache when it can be.

    Widgets missing from the cache are derived from one shared ledger summary (LedgerView),
    whose months are themselves cached per ledger version.
    """
    cache = cache or NoCache()
    version = get_ledger_version(session, q.scope.household_id)
    view = LedgerView(session, q.scope, q.base_currency, cache, version)
    wanted = set(widgets)

    def cached(name: str, compute: Any, *extra: Any) -> Any:
        return cache.fetch(q.scope.cache_key, version, name, (*q.key(), *extra), compute)

    board = Dashboard(q)
    view.expect(*_months_shown(q, wanted))  # read with the first widget the cache lacks
    if {"summary", "cashflow"} & wanted:
        board.cashflow = cached("cashflow", lambda: cashflow(session, q, view))
    if "categories" in wanted:
        board.categories = cached("categories", lambda: category_spending(session, q, view))
        board.comparisons = comparisons(board.categories)
    if "merchants" in wanted:
        board.merchants = cached("merchants", lambda: top_merchants(session, q, view))
    if "trends" in wanted:
        board.trend = cached("trend", lambda: trend(session, q, granularity, view), granularity)
    if {"summary", "balances"} & wanted:
        board.balances = cached("balances", lambda: balances(session, q, view))
    if {"summary", "budgets"} & wanted:
        board.budgets = list_statuses(session, q.scope, q.base_currency, q.as_of,
                                      q.account_ids, cache=cache, view=view)
    if category_key:
        board.selected = cached(
            "category_transactions",
            lambda: category_transactions(session, q, category_key), category_key,
        )
    return board


def list_accounts(session: DbSession, scope: Scope) -> list[Account]:
    """Accounts for the filter form."""
    return list(session.scalars(scoped(Account, scope).order_by(Account.is_archived,
                                                                   Account.name)))


def default_range(today: date) -> DateRange:
    start = period_start(today, MONTH)
    return DateRange(start, period_end(start, MONTH))


PRESETS = {
    "this_month": "This month",
    "last_month": "Last month",
    "last_3_months": "Last 3 months",
    "this_year": "This year",
    "last_12_months": "Last 12 months",
    "custom": "Custom dates",
}


def preset_range(preset: str, today: date) -> DateRange:
    this_month = period_start(today, MONTH)
    if preset == "last_month":
        start = add_periods(this_month, MONTH, -1)
        return DateRange(start, this_month - timedelta(days=1))
    if preset == "last_3_months":
        return DateRange(add_periods(this_month, MONTH, -2), period_end(this_month, MONTH))
    if preset == "this_year":
        start = period_start(today, YEAR)
        return DateRange(start, period_end(start, YEAR))
    if preset == "last_12_months":
        return DateRange(add_periods(this_month, MONTH, -11), period_end(this_month, MONTH))
    return default_range(today)
