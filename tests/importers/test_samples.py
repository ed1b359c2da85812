from __future__ import annotations

from collections import Counter

import pytest

from finance_app.importers import parse_file

SAMPLES = [
    "amex.csv",
    "bofa_checking.csv",
    "capital_one.csv",
    "chase_checking.csv",
    "chase_credit_card.csv",
    "monzo.csv",
    "export.qif",
    "statement.ofx",
    "statement.xlsx",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_matches_expected_without_a_hand_made_mapping(
    name, load_sample, expected_rows
):
    _, mapping, result = parse_file(load_sample(name), name)

    got = Counter((r.date.isoformat(), r.amount, r.description) for r in result.rows)
    assert result.errors == []
    assert got == expected_rows
    assert mapping.confidence >= 0.7, mapping.explanation


@pytest.mark.parametrize(
    ("name", "first_row_number"),
    [
        ("amex.csv", 2),
        ("bofa_checking.csv", 8),  # a summary block and a blank line sit above the header
        ("statement.xlsx", 4),  # a title row and an empty row sit above the header
        ("export.qif", 2),  # the first record starts on line 2, below "!Type:Bank"
    ],
)
def test_row_numbers_are_those_the_user_sees(name, first_row_number, load_sample):
    _, _, result = parse_file(load_sample(name), name)

    assert result.rows[0].row_number == first_row_number


def test_monzo_dates_are_day_first_and_ids_and_currency_are_kept(load_sample):
    _, mapping, result = parse_file(load_sample("monzo.csv"), "monzo.csv")

    first = result.rows[0]
    assert mapping.date_order == "DMY"
    assert (first.date.isoformat(), first.external_id, first.currency) == (
        "2025-01-02", "tx_00000", "GBP")


def test_amex_spending_positive_is_inverted(load_sample):
    _, mapping, result = parse_file(load_sample("amex.csv"), "amex.csv")

    payroll = next(r for r in result.rows if r.description.startswith("PAYROLL"))
    assert mapping.invert_sign is True
    assert payroll.amount > 0


def test_ofx_rows_carry_fitid_and_statement_currency(load_sample):
    _, _, result = parse_file(load_sample("statement.ofx"), "statement.ofx")

    assert [(r.external_id, r.currency) for r in result.rows[:2]] == [
        ("2025010200000", "USD"), ("2025010200001", "USD")]
    assert len({r.external_id for r in result.rows}) == 242
