"""This month's and next month's spending, per category and in total, for a household.

Reads complete months from the ledger core (ledger.spending.category_months) and forecasts them
with monthly.estimate; the month under way is compared with what has been spent so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import Category
from finance_app.money import ZERO
from finance_app.services.forecasts.backtest import as_series, is_active
from finance_app.services.forecasts.monthly import (
    BAND_MONTHS,
    Estimate,
    estimate,
    point_forecast,
    with_band,
)
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.periods import MONTH, DateRange, add_periods, period_end
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.spending import UNCATEGORIZED, category_months
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import Scope, scope_filter

HISTORY_MONTHS = 36  # three years: the level needs six months, a season two or three years


@dataclass(frozen=True, slots=True)
class CategoryForecast:
    category_id: int | None
    name: str
    color: str
    last_month: Decimal
    spent_so_far: Decimal  # this month, up to today
    this_month: Estimate
    next_month: Estimate


@dataclass(frozen=True, slots=True)
class SpendingForecast:
    this_month: date  # month starts
    next_month: date
    rows: tuple[CategoryForecast, ...]
    total_this: Estimate
    total_next: Estimate
    spent_so_far: Decimal
    history: tuple[tuple[date, Decimal], ...]  # complete months learnt from, with their totals

    @property
    def months_learnt(self) -> int:
        return len(self.history)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _names(session: DbSession, scope: Scope) -> dict[int, tuple[str, str]]:
    return {cid: (name, color) for cid, name, color in session.execute(
        select(Category.id, Category.name, Category.color).where(scope_filter(Category, scope)))}


def _total_band(series: list[list[Decimal]], totals: list[Decimal], ahead: int,
                amount: Decimal) -> Estimate:
    """The total's band: errors of the summed category forecasts on the last months."""
    errors = []
    for t in range(max(3 + ahead - 1, len(totals) - BAND_MONTHS), len(totals)):
        forecast = sum((point_forecast(s[:t - ahead + 1], ahead)[0] for s in series
                        if is_active(s[:t - ahead + 1])), ZERO)
        errors.append(totals[t] - forecast)
    return with_band(amount, errors)


def forecast_spending(session: DbSession, scope: Scope, base_currency: str, today: date,
                      cache: LedgerCache | None = None) -> SpendingForecast:
    this_month = today.replace(day=1)
    next_month = add_periods(this_month, MONTH, 1)
    first = add_periods(this_month, MONTH, -HISTORY_MONTHS)
    view = LedgerView(session, scope, base_currency, cache)
    learnt = LedgerQuery(scope, base_currency, today,
                         DateRange(first, this_month - timedelta(days=1)))
    current = LedgerQuery(scope, base_currency, today,
                          DateRange(this_month, period_end(this_month, MONTH)))
    view.expect((first, period_end(this_month, MONTH)))
    months, series = as_series(category_months(session, learnt, view), first,
                               add_periods(this_month, MONTH, -1))
    so_far = category_months(session, current, view)
    totals = [sum((s[i] for s in series.values()), ZERO) for i in range(len(months))]
    # Months before the household's first spending are not zeros to learn from.
    start = next((i for i, total in enumerate(totals) if total), len(totals))
    months, totals = months[start:], totals[start:]
    series = {key: values[start:] for key, values in series.items()}

    names = _names(session, scope)
    rows = []
    for key, history in series.items():
        if not is_active(history):
            continue
        name, color = names.get(key, (UNCATEGORIZED, "#9ca3af")) \
            if key is not None else (UNCATEGORIZED, "#9ca3af")
        rows.append(CategoryForecast(
            key, name, color, history[-1],
            so_far.get(key, {}).get(this_month, ZERO),
            estimate(history, 1), estimate(history, 2)))
    rows.sort(key=lambda r: (-r.next_month.amount, r.name))
    active = [values for values in series.values() if is_active(values)]
    total_this = _total_band(active, totals, 1, sum((r.this_month.amount for r in rows), ZERO))
    total_next = _total_band(active, totals, 2, sum((r.next_month.amount for r in rows), ZERO))
    return SpendingForecast(
        this_month, next_month, tuple(rows), total_this, total_next,
        sum((v.get(this_month, ZERO) for v in so_far.values()), ZERO),
        tuple(zip(months, totals, strict=True)))
