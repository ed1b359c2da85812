"""The days each interval falls on."""

from __future__ import annotations

from datetime import date

from finance_app.ml.schedule import add_months, next_after, occurrences
from finance_app.models.recurring import LAST_BUSINESS_DAY


def test_monthly_on_the_31st_clamps_to_short_months():
    assert occurrences("monthly", [31], date(2025, 1, 31), date(2025, 2, 1),
                       date(2025, 4, 30)) == [date(2025, 2, 28), date(2025, 3, 31),
                                              date(2025, 4, 30)]


def test_semi_monthly_moves_weekend_paydays_back_to_friday():
    days = occurrences("semi-monthly", [15, LAST_BUSINESS_DAY], date(2025, 1, 15),
                       date(2025, 3, 1), date(2025, 5, 31))
    # 15 March 2025 is a Saturday; 31 May 2025 is a Saturday.
    assert days == [date(2025, 3, 14), date(2025, 3, 31), date(2025, 4, 15), date(2025, 4, 30),
                    date(2025, 5, 15), date(2025, 5, 30)]


def test_quarterly_and_biweekly_count_from_the_reference_day():
    assert occurrences("quarterly", [10], date(2025, 2, 10), date(2025, 1, 1),
                       date(2025, 12, 31)) == [date(2025, 2, 10), date(2025, 5, 10),
                                               date(2025, 8, 10), date(2025, 11, 10)]
    assert occurrences("biweekly", [], date(2025, 1, 17), date(2025, 1, 1),
                       date(2025, 1, 31)) == [date(2025, 1, 3), date(2025, 1, 17),
                                              date(2025, 1, 31)]


def test_next_after_skips_a_clearly_missed_payment():
    assert next_after("monthly", [3], date(2025, 1, 3)) == date(2025, 2, 3)
    assert next_after("monthly", [3], date(2025, 1, 3), today=date(2025, 2, 6)) == \
        date(2025, 2, 3)  # two days late: still the one due
    assert next_after("monthly", [3], date(2025, 1, 3), today=date(2025, 2, 20)) == \
        date(2025, 3, 3)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
