from __future__ import annotations

from decimal import Decimal

import pytest

from finance_app.importers.amounts import AmountParser, MoneyError, infer_decimal_separator


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1,234.56", "12.00"], "."),
        (["1.234,56", "-12,00"], ","),
        (["12,5", "3,75"], ","),
        (["1,234", "12.50"], "."),  # "1,234" is ambiguous; "12.50" decides
        (["1.234", "2.000", "12,50"], ","),
        (["100", "250"], "."),
    ],
)
def test_infer_decimal_separator(values, expected):
    assert infer_decimal_separator(values) == expected


def test_ambiguous_column_uses_the_hint():
    assert infer_decimal_separator(["1.234", "5.000"], hint=",") == ","


@pytest.mark.parametrize(
    ("text", "separator", "expected"),
    [
        ("1,234", ",", "1.234"),
        ("1.234", ",", "1234"),
        ("1,234", ".", "1234"),
        ("-1.234,56", ",", "-1234.56"),
        ("(12.00)", ".", "-12.00"),
        ("$1,234.56", ".", "1234.56"),
        ("€ -3,50", ",", "-3.50"),
        ("12.00 CR", ".", "12.00"),
        ("12.00 DR", ".", "-12.00"),
    ],
)
def test_amount_parser_uses_the_column_separator(text, separator, expected):
    assert AmountParser(separator).parse(text) == Decimal(expected)


def test_amount_parser_refuses_text():
    with pytest.raises(MoneyError):
        AmountParser(".").parse("TARGET T-2853")
