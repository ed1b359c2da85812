"""When a goal is reached: the monthly amount a date needs, the date a monthly amount reaches,
and whether that is on track. Pure date and Decimal arithmetic; no database.

Money is saved in monthly steps: saving `monthly` a month from `today`, the goal is reached after
ceil(remaining / monthly) months, on the same day of that month (the 31st becomes the month's
last day). A target date leaves as many months as there are whole month steps from today to it;
the required amount is what is left over those months, rounded up to the currency's smallest unit
(rounding down would end a few cents short). No months left (the date is less than a month away)
means all of it now.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from finance_app.money import CENT, ZERO

# Projections stop here: a pace this slow never reaches the goal in a lifetime that matters.
MAX_MONTHS = 1200


def add_months(day: date, months: int) -> date:
    """The same day `months` months later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole month steps from `start` that land on or before `end` (0 when less than a month)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def months_to_cover(remaining: Decimal, monthly: Decimal) -> int | None:
    """ceil(remaining / monthly); None when `monthly` cannot cover it (zero, negative, too slow)."""
    if remaining <= 0:
        return 0
    if monthly <= 0:
        return None
    months = int((remaining / monthly).to_integral_value(rounding=ROUND_CEILING))
    return months if months <= MAX_MONTHS else None


def required_monthly(remaining: Decimal, today: date, target_date: date,
                     quantum: Decimal = CENT) -> Decimal:
    """What to save each month from today to reach `remaining` more by `target_date`."""
    if remaining <= 0:
        return ZERO
    months = months_between(today, target_date)
    if months == 0:
        return remaining.quantize(quantum, rounding=ROUND_CEILING)
    return (remaining / months).quantize(quantum, rounding=ROUND_CEILING)


@dataclass(frozen=True)
class Projection:
    """Saving `monthly` a month from `today`: reached after `months`, on `completion`."""

    monthly: Decimal
    months: int | None  # None: never at this pace
    completion: date | None

    @property
    def reaches(self) -> bool:
        return self.completion is not None


def project(remaining: Decimal, monthly: Decimal, today: date) -> Projection:
    months = months_to_cover(remaining, monthly)
    return Projection(monthly, months, add_months(today, months) if months is not None else None)


@dataclass(frozen=True)
class Status:
    """Against the target date: on track, or behind by `months_behind` (None: never reached)."""

    on_track: bool
    months_behind: int | None = None

    @property
    def label(self) -> str:
        if self.on_track:
            return "On track"
        if self.months_behind is None:
            return "Not reached at this pace"
        return f"Behind by {self.months_behind} month{'s' if self.months_behind != 1 else ''}"


def status_of(projection: Projection, target_date: date) -> Status:
    """On track when the projection reaches the goal by the target date; else how many month
    steps after the target date it gets there."""
    completion = projection.completion
    if completion is None:
        return Status(False, None)
    if completion <= target_date:
        return Status(True)
    behind = months_between(target_date, completion)
    if add_months(target_date, behind) < completion:
        behind += 1  # a part month late is a month late
    return Status(False, behind)
