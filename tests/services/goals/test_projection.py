"""The pure projection arithmetic: month steps, the monthly amount a date needs (rounded up to
the cent), the date a pace reaches, and on track / behind by N months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.services.goals.projection import (
    MAX_MONTHS,
    Projection,
    add_months,
    months_between,
    months_to_cover,
    project,
    required_monthly,
    status_of,
)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 3, 15), -3, date(2025, 12, 15)),
    (date(2026, 12, 3), 7, date(2027, 7, 3)),
    (date(2026, 5, 31), 0, date(2026, 5, 31)),
])
def test_add_months_keeps_the_day_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (date(2026, 1, 15), date(2026, 7, 14), 5),
    (date(2026, 1, 15), date(2026, 7, 15), 6),
    (date(2026, 1, 31), date(2026, 2, 28), 1),
    (date(2026, 1, 15), date(2026, 2, 1), 0),
    (date(2026, 1, 15), date(2025, 2, 1), 0),
])
def test_months_between_counts_whole_steps(start, end, expected):
    assert months_between(start, end) == expected


def test_required_monthly_rounds_up_to_the_cent():
    # 1000 over 3 months is 333.333...: 333.33 a month would end 0.01 short.
    assert required_monthly(Decimal("1000"), date(2026, 1, 10), date(2026, 4, 10)) == \
        Decimal("333.34")
    assert required_monthly(Decimal("1200"), date(2026, 1, 10), date(2027, 1, 10)) == \
        Decimal("100.00")
    # Less than a month away: all of it now; in yen, whole units.
    assert required_monthly(Decimal("250.50"), date(2026, 1, 10), date(2026, 1, 31)) == \
        Decimal("250.50")
    assert required_monthly(Decimal("1000"), date(2026, 1, 10), date(2026, 4, 10),
                            Decimal("1")) == Decimal("334")
    assert required_monthly(Decimal("0"), date(2026, 1, 10), date(2026, 4, 10)) == 0


def test_project_steps_whole_months_from_today():
    assert project(Decimal("1000"), Decimal("300"), date(2026, 1, 31)) == Projection(
        Decimal("300"), 4, date(2026, 5, 31))
    assert project(Decimal("900"), Decimal("300"), date(2026, 1, 31)) == Projection(
        Decimal("300"), 3, date(2026, 4, 30))
    assert project(Decimal("0"), Decimal("0"), date(2026, 1, 31)).completion == date(2026, 1, 31)
    assert project(Decimal("10"), Decimal("0"), date(2026, 1, 31)).completion is None
    assert project(Decimal("10"), Decimal("-5"), date(2026, 1, 31)).completion is None
    assert months_to_cover(Decimal(MAX_MONTHS + 1), Decimal("1")) is None


def test_status_on_track_or_behind_by_whole_months():
    target = date(2026, 6, 30)
    assert status_of(Projection(Decimal(1), 5, date(2026, 6, 30)), target).on_track
    late = status_of(Projection(Decimal(1), 8, date(2026, 9, 30)), target)
    assert (late.on_track, late.months_behind, late.label) == (False, 3, "Behind by 3 months")
    # One day past the target date is a month late, not zero months.
    one_day = status_of(Projection(Decimal(1), 6, date(2026, 7, 1)), target)
    assert (one_day.months_behind, one_day.label) == (1, "Behind by 1 month")
    never = status_of(Projection(Decimal(0), None, None), target)
    assert (never.on_track, never.months_behind, never.label) == (
        False, None, "Not reached at this pace")


def test_required_amount_reaches_the_date_exactly():
    """Saving what the date needs is on track, a cent less a month is not (to the day)."""
    today, target, remaining = date(2026, 2, 14), date(2027, 2, 14), Decimal("5000")
    need = required_monthly(remaining, today, target)
    assert need == Decimal("416.67")
    assert project(remaining, need, today).completion == target
    assert status_of(project(remaining, need, today), target).on_track
    short = project(remaining, need - Decimal("0.01"), today)
    assert short.completion == date(2027, 3, 14)
    assert status_of(short, target).months_behind == 1
