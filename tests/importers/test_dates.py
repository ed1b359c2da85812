from __future__ import annotations

import datetime as dt

import pytest

from finance_app.importers.dates import (
    DateParser,
    infer_date_order,
    looks_like_date,
    parse_date,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2025-01-02", "MDY", D(2025, 1, 2)),
        ("2025/01/02", "DMY", D(2025, 1, 2)),
        ("20250102", "MDY", D(2025, 1, 2)),
        ("2025-01-02T23:30:00+01:00", "MDY", D(2025, 1, 2)),
        ("01/02/2025", "MDY", D(2025, 1, 2)),
        ("01/02/2025", "DMY", D(2025, 2, 1)),
        ("1/2/25", "MDY", D(2025, 1, 2)),
        ("02.01.2025", "DMY", D(2025, 1, 2)),
        ("05/01/2025 12:00:00 PM", "MDY", D(2025, 5, 1)),
        ("02 Jan 2025", "MDY", D(2025, 1, 2)),
        ("2-Jan-25", "MDY", D(2025, 1, 2)),
        ("Jan 2, 2025", "DMY", D(2025, 1, 2)),
        ("January 2nd, 2025", "MDY", D(2025, 1, 2)),
        ("Thu, 02 Jan 2025", "MDY", D(2025, 1, 2)),
        ("3. März 2025", "MDY", D(2025, 3, 3)),
        ("12 déc. 2024", "MDY", D(2024, 12, 12)),
        ("1/ 2'25", "MDY", D(2025, 1, 2)),  # Quicken's QIF style
        ("30/04/2025", "MDY", D(2025, 4, 30)),  # only one reading is possible
    ],
)
def test_parse_date(text, order, expected):
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(
    "text", ["", "12.50", "1.234,56", "1234", "TARGET T-2853", "13/13/2025", "02/30/2025", "Total"]
)
def test_not_dates(text):
    assert parse_date(text, "MDY") is None


def test_amounts_and_ids_do_not_look_like_dates():
    assert [looks_like_date(v) for v in ["-99.68", "1,234.56", "tx_00001", "2025-01-02"]] == [
        False, False, False, True]


def test_any_first_part_above_12_means_day_first():
    order, why = infer_date_order(["01/02/2025", "05/03/2025", "13/03/2025"])
    assert order == "DMY"
    assert "13/03/2025" in why


def test_any_second_part_above_12_means_month_first():
    order, _ = infer_date_order(["01/02/2025", "03/13/2025"], day_first_hint=True)
    assert order == "MDY"


def test_without_evidence_the_reading_that_runs_in_order_wins():
    # As day-first these are 1, 5, 10 Feb and 3 Mar; as month-first they jump around.
    order, why = infer_date_order(["01/02/2025", "05/02/2025", "10/02/2025", "03/03/2025"])
    assert order == "DMY"
    assert "in order" in why


def test_without_any_evidence_the_hint_then_month_first_decide():
    values = ["01/01/2025", "02/02/2025"]
    assert infer_date_order(values, day_first_hint=True)[0] == "DMY"
    assert infer_date_order(values)[0] == "MDY"


def test_unambiguous_columns_are_year_first():
    assert infer_date_order(["2025-01-02", "Jan 3, 2025"])[0] == "YMD"


def test_mixed_formats_in_one_column_all_parse():
    values = ["2025-01-02", "01/15/2025", "Jan 3, 2025", "4 February 2025", "02/05/2025"]
    order, _ = infer_date_order(values)
    parser = DateParser(order)
    assert [parser.parse(v) for v in values] == [
        D(2025, 1, 2), D(2025, 1, 15), D(2025, 1, 3), D(2025, 2, 4), D(2025, 2, 5)]
