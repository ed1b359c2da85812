from __future__ import annotations

import time
from decimal import Decimal

import pytest

from finance_app.importers import (
    ColumnMapping,
    MappingMismatchError,
    apply_mapping,
    parse_file,
    read_table,
)

from .conftest import as_keys


def test_bad_rows_are_listed_with_file_row_numbers_and_the_rest_survive(parse_text):
    text = (
        "Date,Description,Amount\n"     # row 1
        "01/02/2025,Coffee,-3.20\n"     # row 2
        "01/32/2025,Bad day,-1.00\n"    # row 3
        "\n"                            # row 4, blank
        "01/04/2025,Bad amount,abc\n"   # row 5
        "01/05/2025,No amount,\n"       # row 6
        ",Lost date,-2.00\n"            # row 7
        "01/06/2025,Tea,-2.10\n"        # row 8
    )
    result = parse_text(text)
    assert [r.row_number for r in result.rows] == [2, 8]
    assert [(e.row_number, e.reason) for e in result.errors] == [
        (3, 'Could not read the date "01/32/2025".'),
        (5, 'Could not read the amount "abc".'),
        (6, "The amount is missing."),
        (7, "The date is missing."),
    ]
    assert result.errors[0].raw == {"Date": "01/32/2025", "Description": "Bad day",
                                    "Amount": "-1.00"}


def test_totals_and_balance_rows_are_skipped_not_errors(parse_text):
    text = (
        "Date,Description,Amount\n"
        "01/01/2025,Beginning balance as of 01/01/2025,\n"
        "01/02/2025,TOTAL WINE & MORE,-45.00\n"
        "01/03/2025,Salary,1000.00\n"
        ",,\n"
        "Total,,955.00\n"
        "Ending balance,,1955.00\n"
    )
    result = parse_text(text)
    assert as_keys(result) == [
        ("2025-01-02", "-45.00", "TOTAL WINE & MORE"),
        ("2025-01-03", "1000.00", "Salary"),
    ]
    assert result.errors == []
    assert [s.row_number for s in result.skipped] == [2, 6, 7]


def test_notes_without_date_or_amount_are_skipped(parse_text):
    text = "Date,Description,Amount\n2025-01-02,Tea,-2.10\n,Downloaded from online banking,\n"
    result = parse_text(text)
    assert (len(result.rows), result.errors, len(result.skipped)) == (1, [], 1)


def test_memo_column_is_added_to_the_description(parse_text):
    text = "Date,Payee,Memo,Amount\n2025-01-02,ACME,Invoice 42,-10.00\n2025-01-03,ACME,,-1.00\n"
    assert [r.description for r in parse_text(text).rows] == ["ACME - Invoice 42", "ACME"]


def test_raw_cells_are_available_per_row(parse_text):
    result = parse_text("Date,Description,Amount,Note\n2025-01-02,Tea,-2.10,x\n")
    assert result.rows[0].raw == {"Date": "2025-01-02", "Description": "Tea", "Amount": "-2.10",
                                  "Note": "x"}


def test_a_remembered_mapping_is_applied_as_is(load_sample):
    data = load_sample("amex.csv")
    mapping = ColumnMapping(date_column=0, description_columns=(1,), amount_column=2)
    _, used, result = parse_file(data, "amex.csv", mapping)
    assert used is mapping
    assert result.rows[0].amount == Decimal("99.68")  # not inverted: the user said so


def test_a_mapping_that_does_not_fit_raises():
    table = read_table(b"Date,Amount\n2025-01-02,1.00\n", "a.csv")
    with pytest.raises(MappingMismatchError):
        apply_mapping(table, ColumnMapping(date_column=0, amount_column=5))


def test_zero_is_never_negative(parse_text):
    text = "Date,Description,Amount\n2025-01-02,Fee waived,0.00\n2025-01-03,Coffee,3.00\n"
    assert str(parse_text(text).rows[0].amount) == "0.00"


def test_fifty_thousand_rows_parse_quickly():
    lines = ["Date,Description,Amount"]
    lines += [f"{1 + i % 12:02d}/{1 + i % 28:02d}/2024,Shop {i % 997},-{i % 500}.{i % 100:02d}"
              for i in range(50_000)]
    data = "\n".join(lines).encode()

    start = time.perf_counter()
    _, _, result = parse_file(data, "big.csv")
    elapsed = time.perf_counter() - start

    assert len(result.rows) == 50_000
    assert result.errors == []
    row = result.rows[12_345]
    assert (row.row_number, row.date.isoformat(), str(row.amount), row.description) == (
        12_347, "2024-10-26", "-345.45", "Shop 381")
    assert elapsed < 4  # the benchmark measures about 0.6 s; this only catches regressions
