"""The one report-data builder: reads the ledger core (cash flow, spending, merchants, balances,
budgets) for a period and filters, and returns ReportData for the page, CSV, XLSX and PDF.

Nothing here sums the ledger: every amount is a figure of services/ledger (transfers and
excluded rows left out, refunds netted, splits by their lines, other currencies converted on
the day), only arranged into sections. Category, tag and merchant filters narrow income and
spending; net worth follows the accounts (and member) chosen, and budgets their categories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, INCOME, Account, Category, Tag
from finance_app.models.report import TAX_CATEGORIES
from finance_app.money import ZERO, currency_quantum, quantize
from finance_app.reports.data import (
    CHANGE,
    COUNT,
    MONEY,
    PERCENT,
    Chart,
    Column,
    Figure,
    ReportData,
    Row,
    Section,
    Series,
    Table,
    Totals,
)
from finance_app.services.budgets.budgets import MONTHLY as BUDGET_MONTHLY
from finance_app.services.budgets.budgets import budget_vs_actual, list_statuses
from finance_app.services.ledger.balances import DAY, MONTH, NetWorthPoint, net_worth_history
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.cashflow import CashflowPoint, cashflow, count_transactions
from finance_app.services.ledger.cashflow import monthly as monthly_cashflow
from finance_app.services.ledger.lines import Narrowing
from finance_app.services.ledger.merchants import top_merchants
from finance_app.services.ledger.periods import DateRange
from finance_app.services.ledger.query import LedgerQuery, percent_change
from finance_app.services.ledger.spending import (
    UNCATEGORIZED,
    category_spending,
    category_totals,
)
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.reports import params as kinds
from finance_app.services.reports.params import ReportParams
from finance_app.services.reports.tax import (
    effective_tax_category,
    get_mapping,
    investment_income_table,
)
from finance_app.services.scope import Scope, scoped

Progress = Callable[[int, str], None]
INCOME_COLOR, SPENDING_COLOR, NET_COLOR = "#16a34a", "#dc2626", "#4338ca"
MERCHANT_ROWS = 25
CHART_BARS = 10


@dataclass(frozen=True)
class ResolvedQuery:
    """The ledger query of a report, and the filters in force as people read them."""

    query: LedgerQuery
    filters: tuple[tuple[str, str], ...]
    accounts: tuple[Account, ...]  # the accounts the report covers (all visible when none chosen)


def _names(rows: list, chosen: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
    by_id = {r.id: r.name for r in rows}
    ids = tuple(sorted(i for i in chosen if i in by_id))
    return ids, ", ".join(sorted(by_id[i] for i in ids))


def resolve_query(session: DbSession, scope: Scope, base: str, today: date,
                  params: ReportParams, member_names: dict[str, str] | None = None
                  ) -> ResolvedQuery:
    """The LedgerQuery of `params`: ids the viewer cannot see are dropped (never an error), the
    member filter becomes that member's accounts, as on the dashboard."""
    accounts = list(session.scalars(scoped(Account, scope).order_by(func.lower(Account.name))))
    account_ids, account_names = _names(accounts, params.account_ids)
    filters: list[tuple[str, str]] = [("Accounts", account_names or "All accounts")]
    if params.member:
        member_id = scope.member_id if params.member == "me" else (
            int(params.member) if params.member.isdigit() else None)
        theirs = {a.id for a in accounts if a.owner_id == member_id}
        # A member with no accounts matches nothing; account id 0 never exists.
        account_ids = tuple(sorted(theirs & set(account_ids) if account_ids else theirs)) or (0,)
        label = (member_names or {}).get(params.member, "Mine" if params.member == "me"
                                         else "A member's")
        filters.append(("Whose", label))
    categories = list(session.scalars(scoped(Category, scope)))
    category_ids, category_names = _names(categories, params.category_ids)
    tags = list(session.scalars(scoped(Tag, scope)))
    tag_ids, tag_names = _names(tags, params.tag_ids)
    merchant = params.merchant.strip()
    if category_names:
        filters.append(("Categories", category_names + " (with subcategories)"))
    if tag_names:
        filters.append(("Tags", tag_names))
    if merchant:
        filters.append(("Merchant", merchant))
    narrowing = Narrowing(category_ids, tag_ids, merchant)
    query = LedgerQuery(scope, base, today, DateRange(params.start, params.end), account_ids,
                        narrowing if narrowing else None)
    covered = tuple(a for a in accounts if not account_ids or a.id in account_ids)
    return ResolvedQuery(query, tuple(filters), covered)


def _month_label(day: date) -> str:
    return day.strftime("%b %Y")


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    return quantize(part * 100 / whole, Decimal("0.1")) if whole > 0 else None


class _Builder:
    def __init__(self, session: DbSession, resolved: ResolvedQuery,
                 cache: LedgerCache | None) -> None:
        self.session, self.resolved = session, resolved
        q = resolved.query
        self.q = q
        self.view = LedgerView(session, q.scope, q.base_currency, cache)
        self.quantum = currency_quantum(q.base_currency)
        self._flow: CashflowPoint | None = None
        self._months: tuple[CashflowPoint, ...] | None = None
        self._worth: tuple[NetWorthPoint | None, list[NetWorthPoint]] | None = None

    # ------------------------------------------------------------ shared reads

    @property
    def flow(self) -> CashflowPoint:
        if self._flow is None:
            self._flow = cashflow(self.session, self.q, self.view).period
        return self._flow

    @property
    def months(self) -> tuple[CashflowPoint, ...]:
        if self._months is None:
            self._months = monthly_cashflow(self.session, self.q, self.view)
        return self._months

    @property
    def worth(self) -> tuple[NetWorthPoint | None, list[NetWorthPoint]]:
        """Net worth the day before the period, and at each month end in it (up to today)."""
        if self._worth is None:
            q, ids = self.q, list(self.q.account_ids)
            before = q.range.start - timedelta(days=1)
            opening = net_worth_history(self.session, q.scope, q.base_currency, DAY,
                                        start=before, end=before, account_ids=ids).latest
            points: list[NetWorthPoint] = []
            if q.as_of >= q.range.start:
                points = net_worth_history(self.session, q.scope, q.base_currency, MONTH,
                                           start=q.range.start, end=q.as_of,
                                           account_ids=ids).points
            self._worth = (opening, points)
        return self._worth

    def totals(self) -> Totals:
        return Totals(self.flow.income, self.flow.expense,
                      count_transactions(self.session, self.q, self.view))

    # ------------------------------------------------------------ sections

    def summary(self, totals: Totals) -> Section:
        flow = self.flow
        opening, points = self.worth
        closing = points[-1] if points else None
        change = (closing.net - opening.net) if closing and opening else (
            closing.net if closing else None)
        figures = (
            Figure("Income", flow.income),
            Figure("Spending", flow.expense, note="net of refunds; transfers left out"),
            Figure("Net (income − spending)", flow.net),
            Figure("Savings rate", flow.savings_rate, PERCENT),
            Figure("Net worth at the start", opening.net if opening else None,
                   note=f"end of {(self.q.range.start - timedelta(days=1)).isoformat()}"),
            Figure("Net worth at the end", closing.net if closing else None,
                   note=f"on {closing.day.isoformat()}" if closing else "not reached yet"),
            Figure("Net worth change", change),
            Figure("Transactions counted", totals.transactions, COUNT),
        )
        previous_range = self.q.range.previous()
        before = cashflow(self.session, LedgerQuery(
            self.q.scope, self.q.base_currency, self.q.today, previous_range,
            self.q.account_ids, self.q.narrowing), self.view).period
        compare = Table(
            f"Against the previous period ({previous_range.start.isoformat()} to "
            f"{previous_range.end.isoformat()})",
            (Column("Figure"), Column("This period", MONEY), Column("Previous period", MONEY),
             Column("Change", CHANGE)),
            tuple(Row((label, now, then, percent_change(now, then))) for label, now, then in (
                ("Income", flow.income, before.income),
                ("Spending", flow.expense, before.expense),
                ("Net", flow.net, before.net),
            )),
        )
        return Section(kinds.SUMMARY, "Summary", figures, (compare,))

    def categories(self) -> Section:
        spending = category_spending(self.session, self.q, self.view)
        groups: dict[str, list] = defaultdict(list)
        for row in spending.rows:
            groups[row.group or row.name].append(row)
        # Groups by what they spent; a group's own row (spending put on the group itself) first.
        ordered = sorted(groups.items(), key=lambda item: (
            -sum((r.spent for r in item[1]), ZERO), item[0]))
        rows: list[Row] = []
        bars: list[tuple[str, Decimal]] = []
        total = spending.total
        for name, members in ordered:
            spent = sum((r.spent for r in members), ZERO)
            previous = sum((r.previous for r in members), ZERO)
            subcategories = [r for r in members if r.group]
            rows.append(Row((name, spent, previous, percent_change(spent, previous),
                             _rate(spent, total))))
            if subcategories:
                own = [r for r in members if not r.group]
                for r in own + sorted(subcategories, key=lambda r: (-r.spent, r.name)):
                    label = r.name if r.group else f"{r.name} (the group itself)"
                    rows.append(Row((label, r.spent, r.previous, r.vs_previous,
                                     _rate(r.spent, total)), depth=1))
            bars.append((name, spent))
        rows.append(Row(("Total", total, spending.previous_total,
                         percent_change(total, spending.previous_total), None), is_total=True))
        table = Table(
            "Spending by category and subcategory",
            (Column("Category"), Column("Spent", MONEY), Column("Previous period", MONEY),
             Column("Change", CHANGE), Column("Share", PERCENT)),
            tuple(rows) if spending.rows else (),
            "No spending in this period.",
        )
        top = [b for b in bars if b[1] > 0][:CHART_BARS]
        chart = Chart("hbar", "Biggest spending groups", tuple(n for n, _ in top),
                      (Series("Spent", tuple(v for _, v in top), SPENDING_COLOR),))
        previous = spending.previous_range
        note = (f"Previous period: {spending.previous_label}, {previous.start.isoformat()} to "
                f"{previous.end.isoformat()} (as long as this one: the same number of months, "
                "or of days).")
        return Section(kinds.CATEGORIES, "Spending by category", (), (table,), chart, (note,))

    def monthly(self) -> Section:
        rows = tuple(Row((_month_label(p.start), p.income, p.expense, p.net, p.savings_rate))
                     for p in self.months)
        table = Table("Month by month",
                      (Column("Month"), Column("Income", MONEY), Column("Spending", MONEY),
                       Column("Net", MONEY), Column("Savings rate", PERCENT)), rows)
        chart = Chart("bar", "Income and spending per month",
                      tuple(_month_label(p.start) for p in self.months),
                      (Series("Income", tuple(p.income for p in self.months), INCOME_COLOR),
                       Series("Spending", tuple(p.expense for p in self.months),
                              SPENDING_COLOR)))
        notes: tuple[str, ...] = ()
        if self.months and (self.months[0].start.day != 1 or
                            self.months[-1].end != _month_end(self.months[-1].end)):
            notes = ("The first and last months count only their days inside the period.",)
        return Section(kinds.MONTHLY, "Income vs expense by month", (), (table,), chart, notes)

    def cashflow(self) -> Section:
        running = ZERO
        rows, cumulative = [], []
        for p in self.months:
            running += p.net
            cumulative.append(running)
            rows.append(Row((_month_label(p.start), p.income, p.expense, p.net, running)))
        table = Table("Money in and out, and what it adds up to",
                      (Column("Month"), Column("Money in", MONEY), Column("Money out", MONEY),
                       Column("Net", MONEY), Column("Cumulative net", MONEY)), tuple(rows))
        figures: tuple[Figure, ...] = ()
        if self.months:
            best = max(self.months, key=lambda p: (p.net, p.start))
            worst = min(self.months, key=lambda p: (p.net, p.start))
            short = sum(1 for p in self.months if p.net < 0)
            figures = (
                Figure("Saved over the period", running),
                Figure(f"Best month ({_month_label(best.start)})", best.net),
                Figure(f"Weakest month ({_month_label(worst.start)})", worst.net),
                Figure("Months spending more than came in", short, COUNT),
            )
        chart = Chart("line", "Cumulative net over the period",
                      tuple(_month_label(p.start) for p in self.months),
                      (Series("Cumulative net", tuple(cumulative), NET_COLOR),))
        return Section(kinds.CASHFLOW, "Cash flow", figures, (table,), chart)

    def budgets(self) -> Section:
        q = self.q
        statuses = list_statuses(self.session, q.scope, q.base_currency, q.as_of,
                                 q.account_ids, view=self.view)
        rows = []
        for status in statuses:
            inside = [f for f in status.history
                      if f.start <= q.range.end and f.end >= q.range.start]
            if not inside:
                continue
            budgeted = sum((f.available for f in inside), ZERO)
            spent = sum((f.spent for f in inside), ZERO)
            rows.append(Row((status.category_name, status.period_label, len(inside), budgeted,
                             spent, budgeted - spent, _rate(spent, budgeted))))
        per_budget = Table(
            "Each budget over the period",
            (Column("Budget"), Column("Period"), Column("Periods", COUNT),
             Column("Budgeted", MONEY), Column("Spent", MONEY), Column("Left", MONEY),
             Column("Used", PERCENT)),
            tuple(rows), "No budgets cover this period.")
        months = [r for r in budget_vs_actual(statuses, BUDGET_MONTHLY)
                  if r.start <= q.range.end and r.end >= q.range.start]
        per_month = Table(
            "Monthly budgets, month by month",
            (Column("Month"), Column("Budgeted", MONEY), Column("Spent", MONEY),
             Column("Difference", MONEY)),
            tuple(Row((_month_label(r.start), r.budgeted, r.spent, r.difference))
                  for r in months), "No monthly budgets in this period.")
        chart = Chart("bar", "Monthly budgets against spending",
                      tuple(_month_label(r.start) for r in months),
                      (Series("Budgeted", tuple(r.budgeted for r in months), NET_COLOR),
                       Series("Spent", tuple(r.spent for r in months), SPENDING_COLOR)))
        notes = ["Budgeted includes amounts rolled over. Budgets keep their last 12 periods "
                 "up to the end of the report (or today)."]
        if q.is_narrowed:
            notes.append("Budgets follow their own categories: the category, tag and merchant "
                         "filters do not apply here.")
        return Section(kinds.BUDGETS, "Budget vs actual", (), (per_budget, per_month), chart,
                       tuple(notes))

    def net_worth(self) -> Section:
        opening, points = self.worth
        rows = tuple(Row((p.day, p.assets, p.liabilities, p.net)) for p in points)
        table = Table("Net worth at each month end",
                      (Column("Day", "date"), Column("Assets", MONEY),
                       Column("Liabilities", MONEY), Column("Net worth", MONEY)),
                      rows, "The period has not started yet.")
        closing = points[-1] if points else None
        figures = (
            Figure("At the start", opening.net if opening else None),
            Figure("At the end", closing.net if closing else None),
            Figure("Change", closing.net - opening.net if closing and opening else None),
        )
        chart = Chart("line", "Net worth", tuple(p.day.strftime("%b %Y") for p in points),
                      (Series("Net worth", tuple(p.net for p in points), NET_COLOR),))
        notes = ["Balances of the accounts covered, converted on each day."]
        if self.q.is_narrowed:
            notes.append("Net worth follows the accounts chosen: the category, tag and merchant "
                         "filters do not apply to balances.")
        return Section(kinds.NET_WORTH, "Net worth over time", figures, (table,), chart,
                       tuple(notes))

    def merchants(self) -> Section:
        found = top_merchants(self.session, self.q, self.view, limit=MERCHANT_ROWS).by_amount
        spending = self.flow.expense
        table = Table(f"Top {MERCHANT_ROWS} merchants by spending",
                      (Column("Merchant"), Column("Spent", MONEY),
                       Column("Transactions", COUNT), Column("Share of spending", PERCENT)),
                      tuple(Row((m.name, m.spent, m.count, _rate(m.spent, spending)))
                            for m in found), "No spending at merchants in this period.")
        top = list(found[:CHART_BARS])
        chart = Chart("hbar", "Where the money went", tuple(m.name[:28] for m in top),
                      (Series("Spent", tuple(m.spent for m in top), SPENDING_COLOR),))
        return Section(kinds.MERCHANTS, "Merchants", (), (table,), chart)

    def tax(self) -> Section:
        q = self.q
        mapping = get_mapping(self.session, q.scope)
        categories = {c.id: c for c in self.session.scalars(scoped(Category, q.scope))}
        parents = {cid: c.parent_id for cid, c in categories.items()}
        totals = category_totals(self.session, q, self.view)
        by_tax: dict[str, list] = defaultdict(lambda: [ZERO, 0])
        detail: list[tuple[str, str, Decimal, int]] = []
        for (kind, category_id), total in totals.items():
            key = effective_tax_category(mapping, category_id, parents)
            if not key or kind not in (INCOME, EXPENSE):
                continue
            amount = -total.amount if kind == EXPENSE else total.amount
            by_tax[key][0] += amount
            by_tax[key][1] += total.count
            category = categories.get(category_id) if category_id is not None else None
            detail.append((key, category.full_name if category else UNCATEGORIZED, amount,
                           total.count))
        order = list(TAX_CATEGORIES)
        summary = Table(
            "Totals per tax category",
            (Column("Tax category"), Column("Total", MONEY), Column("Transactions", COUNT)),
            tuple(Row((TAX_CATEGORIES[k], v[0], v[1]))
                  for k, v in sorted(by_tax.items(), key=lambda kv: order.index(kv[0]))),
            "Nothing in a tax category in this period.")
        lines = Table(
            "Categories behind each total",
            (Column("Tax category"), Column("Category"), Column("Amount", MONEY),
             Column("Transactions", COUNT)),
            tuple(Row((TAX_CATEGORIES[k], name, amount, count)) for k, name, amount, count in
                  sorted(detail, key=lambda d: (order.index(d[0]), d[1]))),
            "No categories counted.")
        notes = ["Spending categories count what was spent net of refunds; income categories "
                 "what came in. A group's tax category covers its subcategories unless one has "
                 "its own."]
        if not mapping:
            notes.insert(0, "No categories are mapped to tax categories yet: map them on the "
                            "Tax categories page.")
        investments = investment_income_table(self.session, q.scope, q.range.start, q.range.end)
        tables = (summary, lines) if investments is None else (summary, lines, investments)
        return Section(kinds.TAX, "Tax summary", (), tables, None, tuple(notes))


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def build_report(session: DbSession, resolved: ResolvedQuery, params: ReportParams, *,
                 household_name: str, generated_on: date | None = None,
                 cache: LedgerCache | None = None,
                 progress: Progress | None = None) -> ReportData:
    """The report of `params` over `resolved` (see resolve_query): the sections asked for."""
    builder = _Builder(session, resolved, cache)
    totals = builder.totals()
    sections = []
    steps = params.sections
    for n, key in enumerate(steps, start=1):
        if progress:
            progress(int((n - 1) * 100 / len(steps)), f"Reading {kinds.KINDS[key].lower()}")
        if key == kinds.SUMMARY:
            sections.append(builder.summary(totals))
        else:
            sections.append(getattr(builder, key)())
    q = resolved.query
    title = ("Financial report" if params.kind == kinds.ALL
             else f"{kinds.KINDS[params.kind]} report")
    notes = []
    if not resolved.query.account_ids and not resolved.accounts:
        notes.append("No accounts yet: add an account or import a file to fill this report.")
    return ReportData(
        title=title, household=household_name, currency=q.base_currency,
        start=q.range.start, end=q.range.end, generated_on=generated_on or q.today,
        totals=Totals(quantize(totals.income, builder.quantum),
                      quantize(totals.spending, builder.quantum), totals.transactions),
        filters=resolved.filters, sections=tuple(sections), notes=tuple(notes),
    )
