"""Calendar periods (weekly from Monday, monthly, yearly) and date ranges: pure date arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEK, MONTH, YEAR = "weekly", "monthly", "yearly"
GRANULARITIES = (WEEK, MONTH, YEAR)


def user_today(timezone: str | None) -> date:
    """Today's date where the user lives (a new month starts at their midnight, not UTC's)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except Exception:
        zone = ZoneInfo("UTC")
    return datetime.now(zone).date()


def period_start(day: date, granularity: str) -> date:
    if granularity == WEEK:
        return day - timedelta(days=day.weekday())
    if granularity == MONTH:
        return day.replace(day=1)
    if granularity == YEAR:
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown period {granularity!r}")


def add_periods(start: date, granularity: str, count: int) -> date:
    """The start of the period `count` periods after (or before) the one starting at `start`."""
    if granularity == WEEK:
        return start + timedelta(weeks=count)
    if granularity == MONTH:
        months = start.year * 12 + start.month - 1 + count
        return date(months // 12, months % 12 + 1, 1)
    if granularity == YEAR:
        return date(start.year + count, 1, 1)
    raise ValueError(f"unknown period {granularity!r}")


def period_end(start: date, granularity: str) -> date:
    """The last day of the period starting at `start`."""
    return add_periods(start, granularity, 1) - timedelta(days=1)


def period_starts(first: date, last: date, granularity: str) -> list[date]:
    """Starts of every period from the one holding `first` to the one holding `last`."""
    current, stop = period_start(first, granularity), period_start(last, granularity)
    out = []
    while current <= stop:
        out.append(current)
        current = add_periods(current, granularity, 1)
    return out


def shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> int | None:
        """The number of whole calendar months it spans, or None when not month-aligned."""
        if self.start.day != 1 or (self.end + timedelta(days=1)).day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> DateRange:
        """The period just before: the previous calendar months when aligned, else same length."""
        months = self.months
        if months:
            start = add_periods(self.start, MONTH, -months)
            return DateRange(start, self.start - timedelta(days=1))
        return DateRange(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_ago(self) -> DateRange:
        months = self.months
        if months:
            start = add_periods(self.start, MONTH, -12)
            return DateRange(start, add_periods(start, MONTH, months) - timedelta(days=1))
        return DateRange(shift_years(self.start, -1), shift_years(self.end, -1))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


# ------------------------------------------------------------------ range presets


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
