from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance_app.importers import parse_file
from finance_app.importers.amounts import (
    AmountParser,
    MoneyError,
    fits_separator,
    infer_decimal_separator,
)


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


# ---------------------------------------------------------------- both conventions, exactly


def written(value: Decimal, separator: str, grouped: bool) -> str:
    """`value` as a bank writes it: "-1,234.56" / "-1.234,56", or without thousands groups."""
    places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    text = f"{abs(value):{',' if grouped else ''}.{places}f}"
    if separator == ",":
        text = text.translate(str.maketrans(".,", ",."))
    return ("-" if value < 0 else "") + text


def amounts(places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"),
                       places=places, allow_nan=False, allow_infinity=False)


@given(value=st.integers(0, 4).flatmap(amounts), separator=st.sampled_from(".,"),
       grouped=st.booleans())
def test_every_amount_round_trips_in_its_convention(value, separator, grouped):
    parsed = AmountParser(separator).parse(written(value, separator, grouped))

    assert parsed == value
    assert abs(parsed).as_tuple() == abs(value).as_tuple()  # the same digits, not just equal


@given(values=st.lists(amounts(2), min_size=1, max_size=30), separator=st.sampled_from(".,"),
       grouped=st.booleans())
def test_a_columns_format_is_read_from_all_its_rows(values, separator, grouped):
    texts = [written(v, separator, grouped) for v in values]

    assert infer_decimal_separator(texts) == separator
    assert [AmountParser(separator).parse(t) for t in texts] == values


@given(value=amounts(2).filter(lambda v: abs(v) >= 1000), separator=st.sampled_from(".,"))
def test_the_other_convention_is_refused_not_misread(value, separator):
    other = "," if separator == "." else "."
    text = written(value, other, grouped=True)  # "-1.234,56" offered to a "." column

    assert not fits_separator(text, separator)
    with pytest.raises(MoneyError):
        AmountParser(separator).parse(text)


def test_grouped_thousands_in_every_row_are_read_whole():
    data = "Datum;Text;Betrag\n02.01.2025;Miete;-1.234,56\n03.01.2025;Gehalt;2.000,00\n"

    _, mapping, result = parse_file(data.encode(), "konto.csv")

    assert mapping.decimal_separator == ","
    assert [r.amount for r in result.rows] == [Decimal("-1234.56"), Decimal("2000.00")]
    assert "Amounts: written as 1.234,56" in mapping.explanation
