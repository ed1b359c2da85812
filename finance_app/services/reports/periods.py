"""The report page's periods: this/last month, quarter and year, year to date, the last 12
months and custom dates (pure date arithmetic on ledger.periods)."""

from __future__ import annotations

from datetime import date, timedelta

from finance_app.services.ledger.periods import (
    MONTH,
    YEAR,
    DateRange,
    add_periods,
    period_end,
    period_start,
)

PRESETS = {
    "this_month": "This month",
    "last_month": "Last month",
    "this_quarter": "This quarter",
    "last_quarter": "Last quarter",
    "this_year": "This year",
    "last_year": "Last year",
    "year_to_date": "Year to date",
    "last_12_months": "Last 12 months",
    "custom": "Custom dates",
}
DEFAULT_PRESET = "this_month"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_range(preset: str, today: date) -> DateRange:
    """The dates of a preset (an unknown one is this month)."""
    month = period_start(today, MONTH)
    if preset == "last_month":
        start = add_periods(month, MONTH, -1)
        return DateRange(start, month - timedelta(days=1))
    if preset in ("this_quarter", "last_quarter"):
        start = quarter_start(today)
        if preset == "last_quarter":
            start = add_periods(start, MONTH, -3)
        return DateRange(start, add_periods(start, MONTH, 3) - timedelta(days=1))
    if preset in ("this_year", "last_year"):
        start = period_start(today, YEAR)
        if preset == "last_year":
            start = add_periods(start, YEAR, -1)
        return DateRange(start, period_end(start, YEAR))
    if preset == "year_to_date":
        return DateRange(period_start(today, YEAR), today)
    if preset == "last_12_months":
        return DateRange(add_periods(month, MONTH, -11), period_end(month, MONTH))
    return DateRange(month, period_end(month, MONTH))
