"""Where the money went: spending by category (against the previous period and a year ago),
the lines behind one category, and the top merchants."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    func,
    select,
)

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, Account, Category
from finance_app.money import ZERO, quantize
from finance_app.services.ledger.lines import (
    Total,
    lines,
)
from finance_app.services.ledger.periods import (
    DateRange,
)
from finance_app.services.ledger.query import (
    LedgerQuery,
    percent_change,
    view_of,
)
from finance_app.services.ledger.spans import span_totals
from finance_app.services.ledger.summary import LedgerView, summarize
from finance_app.services.scope import Scope, owned, scope_filter

UNCATEGORIZED = "Uncategorized"


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
    year_ago_label: str = "the same period last year"


def _category_names(session: DbSession, scope: Scope) -> dict[int, tuple[str, str, str]]:
    rows = session.execute(
        select(Category.id, Category.name, Category.color, Category.parent_id)
        .where(scope_filter(Category, scope))
    ).all()
    names = {r.id: r.name for r in rows}
    return {r.id: (r.name, r.color, names.get(r.parent_id, "") if r.parent_id else "")
            for r in rows}


def category_spending(session: DbSession, q: LedgerQuery,
                      view: LedgerView | None = None) -> CategorySpending:
    """Spending per category in the range, the period before it and the same period a year ago.

    A range still running (this month, on the 3rd) is compared like with like: with the same
    number of days at the start of the period before and of a year ago, never 3 days against
    a whole month."""
    view = view_of(session, q, view)
    current, previous, year_ago = q.range, q.range.previous(), q.range.year_ago()
    to_date = current.start <= q.today < current.end
    if to_date:
        elapsed = q.today - current.start
        previous = DateRange(previous.start, min(previous.start + elapsed, previous.end))
        year_ago = DateRange(year_ago.start, min(year_ago.start + elapsed, year_ago.end))
    spans = (("cur", current), ("prev", previous), ("ya", year_ago))
    agg = span_totals(
        session, q, view, spans,
        lambda line: (line.category_id,) if line.kind == EXPENSE else None,
        lambda ln: [ln.c.category_id], lambda ln: [ln.c.kind == EXPENSE],
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
    if to_date:
        label = f"the same {previous.days} days of {label}"
    return CategorySpending(
        tuple(rows), total_spent,
        sum((r.previous for r in rows), ZERO), sum((r.year_ago for r in rows), ZERO),
        label, previous, year_ago,
        f"the same {year_ago.days} days last year" if to_date else "the same period last year",
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
            found.append(Comparison(row.name, row.vs_year_ago, spending.year_ago_label,
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


def category_transactions(session: DbSession, q: LedgerQuery, category_key: str,
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


def category_totals(session: DbSession, q: LedgerQuery,
                    view: LedgerView | None = None) -> dict[tuple[str, int | None], Total]:
    """Net amount and transaction count per (kind, category id) of income and spending lines in
    the range (spending negative, as stored): what a per-category summary such as a tax report
    adds up. Whole months come from the summary, the days around them (and narrowed queries)
    from the lines."""
    view = view_of(session, q, view)
    agg = span_totals(session, q, view, [("range", q.range)],
                      lambda line: (line.kind, line.category_id),
                      lambda ln: [ln.c.kind, ln.c.category_id])
    return {(kind, category_id): total for (_, kind, category_id), total in agg.totals.items()}


def category_months(session: DbSession, q: LedgerQuery,
                    view: LedgerView | None = None) -> dict[int | None, dict[date, Decimal]]:
    """Spending (positive, net of refunds) per expense category and calendar month over the
    query's months, from the summary: what a monthly forecast learns from. A month without
    spending in a category is absent from its dict (zero)."""
    view = view_of(session, q, view)
    agg = summarize(view.lines((q.range.start, q.range.end)), view.rates,
                    lambda line: (line.category_id, line.month) if line.kind == EXPENSE
                    and q.range.start <= line.month <= q.range.end else None,
                    q.account_ids)
    months: dict[int | None, dict[date, Decimal]] = defaultdict(dict)
    for (category_id, month), total in agg.totals.items():
        months[category_id][month] = -total.amount
    return dict(months)
