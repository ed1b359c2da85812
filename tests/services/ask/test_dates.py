"""Dates in questions, read relative to `today`: the latest month or quarter that has begun,
ranges written in words, and what is not a date."""

from __future__ import annotations

from datetime import date

import pytest

from finance_app.services.ask.dates import find_ranges, format_range
from finance_app.services.ledger.periods import DateRange


def read(text: str, today: date) -> list[tuple[str, str]]:
    return [(f.range.start.isoformat(), f.range.end.isoformat())
            for f in find_ranges(text, today)]


@pytest.mark.parametrize(("text", "today", "expected"), [
    # A month or quarter not begun yet this year is last year's.
    ("october", date(2026, 9, 15), ("2025-10-01", "2025-10-31")),
    ("october", date(2026, 10, 2), ("2026-10-01", "2026-10-31")),
    ("q4", date(2026, 9, 30), ("2025-10-01", "2025-12-31")),
    ("q1 2024", date(2026, 9, 30), ("2024-01-01", "2024-03-31")),
    # Periods around a year's turn.
    ("last month", date(2026, 1, 10), ("2025-12-01", "2025-12-31")),
    ("last quarter", date(2026, 2, 1), ("2025-10-01", "2025-12-31")),
    ("last week", date(2026, 1, 1), ("2025-12-22", "2025-12-28")),
    ("february 2024", date(2026, 1, 1), ("2024-02-01", "2024-02-29")),
    # Ranges in words.
    ("from 3 march 2025 to 30 june 2025", date(2026, 1, 1), ("2025-03-03", "2025-06-30")),
    ("between march 3, 2025 and june 2025", date(2026, 1, 1), ("2025-03-03", "2025-06-30")),
    ("since 15 march", date(2026, 4, 1), ("2026-03-15", "2026-04-01")),
    ("in the last 7 days", date(2026, 4, 10), ("2026-04-04", "2026-04-10")),
])
def test_one_range(text: str, today: date, expected: tuple[str, str]) -> None:
    assert read(text, today) == [expected]


def test_a_backwards_or_impossible_range_is_not_read_as_one() -> None:
    # Backwards: read as two months, which the parser refuses as two periods.
    assert read("from june to march 2025", date(2026, 11, 1)) == [
        ("2026-06-01", "2026-06-30"), ("2025-03-01", "2025-03-31")]
    assert read("2025-02-30 to 2025-03-01", date(2026, 11, 1)) == []


def test_since_a_month_that_has_not_begun_is_last_years() -> None:
    assert read("since december", date(2026, 11, 1)) == [("2025-12-01", "2026-11-01")]


def test_two_periods_are_both_found() -> None:
    assert read("travel in 2024 and 2025", date(2026, 1, 1)) == [
        ("2024-01-01", "2024-12-31"), ("2025-01-01", "2025-12-31")]


def test_format_range() -> None:
    assert format_range(DateRange(date(2026, 10, 1), date(2026, 10, 31))) == "1-31 Oct 2026"
    assert format_range(DateRange(date(2026, 4, 1), date(2026, 6, 30))) == "1 Apr-30 Jun 2026"
    assert format_range(DateRange(date(2025, 3, 1), date(2026, 12, 3))) == \
        "1 Mar 2025-3 Dec 2026"
