from __future__ import annotations

from decimal import Decimal

import pytest

from finance_app.money import MoneyError, format_money, parse_amount, quantize, to_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("(12.00)", "-12.00"),
        ("($12.34)", "-12.34"),
        ("-$12", "-12"),
        ("$-12.00", "-12.00"),
        ("12.00 CR", "12.00"),
        ("12.00 DR", "-12.00"),
        ("12.00-", "-12.00"),
        ("+3", "3"),
        ("-.50", "-0.50"),
        ("\u22125.00", "-5.00"),  # Unicode minus sign
        ("EUR 12,00", "12.00"),
        ("12.00 USD", "12.00"),
        ("12,50 €", "12.50"),
        ("£1,000", "1000"),
        ("CA$ 5", "5"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("CHF 1'234.50", "1234.50"),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "  ", "-", "()", "abc", "Total", "TARGET T-2853", "ABC-2853", "01/02/2025", "2025-01-02",
     "12:00:00", "tx_00000", "1e5", "--5", "+-5", "-5-", "(12", "-(5)", "12.00.00", "5-5"],
)
def test_parse_amount_refuses_anything_but_an_amount(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_forced_decimal_separator_resolves_thousands_ambiguity():
    assert parse_amount("1,234", ",") == Decimal("1.234")
    assert parse_amount("1,234") == Decimal("1234")


def test_to_decimal_refuses_floats():
    with pytest.raises(MoneyError):
        to_decimal(0.1)
    assert to_decimal("0.10") == Decimal("0.10")


def test_quantize_and_format():
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert format_money(Decimal("-1234.5"), "EUR") == "-€1,234.50"
