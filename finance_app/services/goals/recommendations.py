"""Ways to close a goal's gap, from the household's own spending: "trim Restaurants by $85/month
(your 6-month median is $412)", with the figures behind each one.

The gap is what the target date needs each month minus the 3-month saving pace. Spending per
category comes from the ledger core's month summary (`services/ledger/summary.py`): the last six
full months, in the goal's currency, leaf expense categories only (uncategorized spending has
no name to act on). A category's median over those months is its typical month (months without
spending count as zero). Steady categories (every month within 2 % of the median: rent, a
subscription) are commitments rather than habits and are never suggested. A trim is at most a
quarter of the median, so no suggestion asks to give up a habit, and is rounded up to whole units
of the currency so that it covers the gap.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, Category
from finance_app.money import ZERO, currency_quantum, quantize
from finance_app.services.goals.projection import add_months
from finance_app.services.ledger.summary import LedgerView, SummaryLine, summarize
from finance_app.services.scope import Scope, scope_filter

HISTORY_MONTHS = 6
MAX_TRIM_SHARE = Decimal("0.25")
STEADY_TOLERANCE = Decimal("0.02")
MAX_SUGGESTIONS = 3
SPREAD_OVER = 3


@dataclass(frozen=True)
class CategoryMedian:
    """A category's spending in each of the last full months (oldest first) and its median."""

    category_id: int
    name: str
    monthly: tuple[Decimal, ...]
    median: Decimal

    @property
    def is_steady(self) -> bool:
        allowed = self.median * STEADY_TOLERANCE
        return all(abs(month - self.median) <= allowed for month in self.monthly)


@dataclass(frozen=True)
class Trim:
    category: str
    median: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Recommendation:
    """One category trimmed by the whole gap ("trim"), or several sharing it ("spread")."""

    kind: str
    trims: tuple[Trim, ...]

    @property
    def total(self) -> Decimal:
        return sum((t.amount for t in self.trims), ZERO)


def history_window(today: date) -> tuple[date, date]:
    """First and last day of the last HISTORY_MONTHS full months before today's month."""
    this_month = today.replace(day=1)
    return add_months(this_month, -HISTORY_MONTHS), this_month - timedelta(days=1)


def category_medians(session: DbSession, scope: Scope, currency: str,
                     today: date) -> list[CategoryMedian]:
    """Every leaf expense category with spending in the window, largest median first."""
    first, last = history_window(today)
    view = LedgerView(session, scope, currency)

    def by_category_month(line: SummaryLine) -> tuple | None:
        if line.kind != EXPENSE or line.category_id is None:
            return None
        return (line.category_id, line.month)

    totals = summarize(view.lines((first, last)), view.rates, by_category_month).totals
    spent: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for (category_id, month), total in totals.items():
        spent[category_id][month] = -total.amount
    names = dict(session.execute(
        select(Category.id, Category.name).where(scope_filter(Category, scope),
                                                 Category.parent_id.is_not(None))).all())
    months = [add_months(first, n) for n in range(HISTORY_MONTHS)]
    quantum = currency_quantum(currency)
    found = []
    for category_id, by_month in spent.items():
        if category_id not in names:
            continue  # a group itself: its children are what people trim
        monthly = tuple(quantize(max(ZERO, by_month.get(m, ZERO)), quantum) for m in months)
        median = quantize(Decimal(statistics.median(monthly)), quantum)
        if median > 0:
            found.append(CategoryMedian(category_id, names[category_id], monthly, median))
    found.sort(key=lambda c: (-c.median, c.name))
    return found


def _round_up(amount: Decimal) -> Decimal:
    return amount.to_integral_value(rounding=ROUND_CEILING)


def recommend(gap: Decimal, medians: list[CategoryMedian]) -> list[Recommendation]:
    """Trims covering `gap` a month: single categories that can take it alone (largest habits
    first), else the largest few sharing it in proportion to their medians; none when even that
    would cut more than a quarter of one."""
    if gap <= 0:
        return []
    candidates = [c for c in medians if not c.is_steady]
    needed = _round_up(gap)
    singles = [Recommendation("trim", (Trim(c.name, c.median, needed),))
               for c in candidates if needed <= c.median * MAX_TRIM_SHARE]
    if singles:
        return singles[:MAX_SUGGESTIONS]
    shared = candidates[:SPREAD_OVER]
    total = sum((c.median for c in shared), ZERO)
    if len(shared) < 2 or total <= 0:
        return []
    trims = tuple(Trim(c.name, c.median, _round_up(gap * c.median / total)) for c in shared)
    if any(t.amount > t.median * MAX_TRIM_SHARE for t in trims):
        return []
    return [Recommendation("spread", trims)]


def recommendations_for(session: DbSession, scope: Scope, gap: Decimal, currency: str,
                        today: date) -> list[Recommendation]:
    if gap <= 0:
        return []
    return recommend(gap, category_medians(session, scope, currency, today))
