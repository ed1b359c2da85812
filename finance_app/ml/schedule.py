"""The calendar of a recurring series: the days each interval falls on, nothing else.

Pure date arithmetic shared by detection (what comes next), the bills page (what was due in a
month) and the forecasts built on top of it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from finance_app.models.recurring import (
    BIWEEKLY,
    LAST_BUSINESS_DAY,
    MONTHLY,
    QUARTERLY,
    SEMI_MONTHLY,
    WEEKLY,
    YEARLY,
)

# The nominal length of each interval in days.
PERIOD_DAYS = {WEEKLY: 7.0, BIWEEKLY: 14.0, SEMI_MONTHLY: 365.25 / 24, MONTHLY: 365.25 / 12,
               QUARTERLY: 365.25 / 4, YEARLY: 365.25}
# How many days early or late a payment still counts as the expected one.
TOLERANCE_DAYS = {WEEKLY: 2, BIWEEKLY: 3, SEMI_MONTHLY: 3, MONTHLY: 5, QUARTERLY: 8, YEARLY: 12}
MONTH_STEPS = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}


def add_months(day: date, months: int, anchor: int | None = None) -> date:
    """`day` moved by whole months, on day `anchor` of the month (default: day's own day),
    clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor or day.day, last))


def last_business_day(year: int, month: int) -> date:
    day = date(year, month, calendar.monthrange(year, month)[1])
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def business_day_on_or_before(day: date) -> date:
    """Payroll paid on a weekend day goes out the Friday before."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _semi_monthly_days(year: int, month: int, anchors: Sequence[int]) -> list[date]:
    last = calendar.monthrange(year, month)[1]
    days = []
    for anchor in anchors:
        if anchor == LAST_BUSINESS_DAY:
            days.append(last_business_day(year, month))
        else:
            days.append(business_day_on_or_before(date(year, month, min(anchor, last))))
    return sorted(set(days))


def occurrences(interval: str, anchors: Sequence[int], reference: date, start: date,
                end: date) -> list[date]:
    """The days of the schedule between start and end (inclusive). `reference` is one day
    the series fell on (its last payment): weekly steps and month steps count from it."""
    if end < start:
        return []
    if interval in (WEEKLY, BIWEEKLY):
        step = 7 if interval == WEEKLY else 14
        offset = (start - reference).days
        first = reference + timedelta(days=-(-offset // step) * step)
        return [first + timedelta(days=step * i)
                for i in range((end - first).days // step + 1)] if first <= end else []
    if interval == SEMI_MONTHLY:
        result = []
        for year, month in _months(start, end):
            result += [d for d in _semi_monthly_days(year, month, anchors or (15,
                       LAST_BUSINESS_DAY)) if start <= d <= end]
        return result
    step = MONTH_STEPS[interval]
    anchor = anchors[0] if anchors else reference.day
    result = []
    for year, month in _months(start, end):
        months_apart = (year * 12 + month) - (reference.year * 12 + reference.month)
        if months_apart % step:
            continue
        day = date(year, month, min(anchor, calendar.monthrange(year, month)[1]))
        if start <= day <= end:
            result.append(day)
    return result


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def next_after(interval: str, anchors: Sequence[int], last: date, today: date | None = None
               ) -> date:
    """The first day of the schedule after `last`; with `today`, the first one not yet more
    than a tolerance in the past (a missed payment is skipped once it is clearly missed)."""
    horizon = int(PERIOD_DAYS[interval] * 2) + 31
    floor = last + timedelta(days=1)
    if today is not None:
        floor = max(floor, today - timedelta(days=TOLERANCE_DAYS[interval]))
    while True:
        found = occurrences(interval, anchors, last, floor, floor + timedelta(days=horizon))
        if found:
            return found[0]
        floor += timedelta(days=horizon)
