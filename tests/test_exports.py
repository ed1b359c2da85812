"""The export writer: CSV and XLSX read back with the csv module and openpyxl — text stays text
and never a formula, amounts are numbers in their currency's decimals."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from finance_app.exports import Amount, iter_csv, neutralize, to_csv, to_xlsx

HEADER = ["date", "merchant", "amount", "currency", "row", "pending"]
ROWS = [
    [date(2025, 1, 2), "=HYPERLINK(\"http://evil.test\",\"x\")", Amount(Decimal("-1.2300"), "USD"),
     "USD", 2, False],
    [date(2025, 1, 3), "@SUM(A1:A9)", Amount(Decimal("-1234.5000"), "JPY"), "JPY", 3, True],
    [date(2025, 1, 4), "+44 20 7946 0000", Amount(Decimal("1.2500"), "KWD"), "KWD", 4, False],
    [date(2025, 1, 5), "-2+3+cmd|' /C calc'!A0", Amount(Decimal("0.0050"), "USD"), "USD", 5,
     False],
    [date(2025, 1, 6), "\tTABBED", Amount(Decimal("-12.5000"), "EUR"), "EUR", 6, False],
    [date(2025, 1, 7), "\rRETURN", Amount(Decimal("7"), "BHD"), "BHD", 7, False],
    [date(2025, 1, 8), "Coffee -12.50", Amount(Decimal("-0.0100"), "USD"), "USD", None, False],
]
# Half-even rounding to each currency's minor units, as ledgers do.
AMOUNTS = ["-1.23", "-1234", "1.250", "0.00", "-12.50", "7.000", "-0.01"]
MERCHANTS = ["'=HYPERLINK(\"http://evil.test\",\"x\")", "'@SUM(A1:A9)", "'+44 20 7946 0000",
             "'-2+3+cmd|' /C calc'!A0", "'\tTABBED", "'\rRETURN", "Coffee -12.50"]


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"),
    ("+1+1", "'+1+1"),
    ("-1+1", "'-1+1"),
    ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-", "'-"),
    ("-12.50", "-12.50"),  # a number written as text cannot run: kept for re-importing
    ("+1,234.00", "+1,234.00"),
    ("-1e5", "'-1e5"),
    ("Tesco = food", "Tesco = food"),
    ("", ""),
])
def test_text_that_would_run_as_a_formula_gets_a_leading_quote(text, written):
    assert neutralize(text) == written


def test_csv_reads_back_text_as_written_and_amounts_in_the_currencys_decimals():
    rows = list(csv.reader(io.StringIO(to_csv(HEADER, ROWS))))
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == MERCHANTS
    assert [row[2] for row in rows[1:]] == AMOUNTS
    assert [Decimal(row[2]) for row in rows[1:]] == [Decimal(a) for a in AMOUNTS]
    assert rows[1][0] == "2025-01-02" and rows[1][4] == "2" and rows[7][4] == ""
    assert [row[5] for row in rows[1:3]] == ["False", "True"]
    for row in rows[1:]:
        assert not row[1].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_header_from_a_file_is_neutralized_too():
    rows = list(csv.reader(io.StringIO(to_csv(["Row", "=cmd"], [[1, "x"]]))))
    assert rows[0] == ["Row", "'=cmd"]


def test_csv_streams_in_chunks_of_rows():
    chunks = list(iter_csv(["n"], ([i] for i in range(5)), chunk_rows=2))
    assert chunks == ["n\r\n0\r\n1\r\n", "2\r\n3\r\n", "4\r\n"]


def test_xlsx_reads_back_amounts_as_numbers_and_text_as_text_without_formulas():
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(HEADER, ROWS, "Transactions")))
    sheet = workbook["Transactions"]
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADER
    # XML reads a carriage return back as a line feed; the leading quote is what matters.
    assert [row[1] for row in values[1:]] == [m.replace("\r", "\n") for m in MERCHANTS]
    amounts = [row[2] for row in values[1:]]
    assert all(isinstance(a, int | float) and not isinstance(a, bool) for a in amounts)
    assert [Decimal(str(a)) for a in amounts] == [Decimal(a) for a in AMOUNTS]
    cells = [row for row in sheet.iter_rows(min_row=2)]
    assert [row[2].number_format for row in cells] == [
        "#,##0.00", "#,##0", "#,##0.000", "#,##0.00", "#,##0.00", "#,##0.000", "#,##0.00"]
    assert all(row[2].data_type == "n" for row in cells)
    assert values[1][0].date() == date(2025, 1, 2) and cells[0][0].is_date
    assert values[2][5] is True and values[1][4] == 2 and values[7][4] is None
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def test_xlsx_keeps_a_number_written_as_text_as_text():
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(["Amount"], [["-12.50"], ["=1"]])))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [("-12.50", "s"), ("'=1", "s")]
