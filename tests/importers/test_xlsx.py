from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from finance_app.importers import NoDataRowsError, TruncatedFileError, parse_file

from .conftest import as_keys


def workbook_bytes(*sheets: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for index, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{index + 1}")
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_dates_floats_and_the_fullest_sheet():
    data = workbook_bytes(
        [["Notes"], ["exported by bank"]],
        [
            ["My bank", None, None],
            [None, None, None],
            ["Date", "Payee", "Amount"],
            [dt.datetime(2025, 1, 2), "Coffee", -3.2],
            [dt.date(2025, 1, 3), "Split bill", -(0.1 + 0.2)],
            ["2025-01-04", "Salary", 2500],
        ],
    )
    table, _, result = parse_file(data, "statement.xlsx")
    assert table.header_row == 3
    assert as_keys(result) == [
        ("2025-01-02", "-3.2", "Coffee"),
        ("2025-01-03", "-0.3", "Split bill"),
        ("2025-01-04", "2500", "Salary"),
    ]


def test_xlsx_header_only():
    with pytest.raises(NoDataRowsError):
        parse_file(workbook_bytes([["Date", "Description", "Amount"]]), "h.xlsx")


def test_corrupt_xlsx_is_refused_as_incomplete():
    # Was NotATableError, whose message ("does not look like a bank export ... an image, a PDF")
    # sent people looking for the wrong problem.
    with pytest.raises(TruncatedFileError) as raised:
        parse_file(b"PK\x03\x04" + b"\x00garbage" * 50, "broken.xlsx")
    assert "ends before its closing tag" in raised.value.message


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_xlsx_is_refused_whole(load_sample, keep):
    data = load_sample("statement.xlsx")

    with pytest.raises(TruncatedFileError) as raised:
        parse_file(data[: int(len(data) * keep)], "statement.xlsx")

    assert "ends before its closing tag" in raised.value.message


def test_an_xlsx_whose_sheet_is_damaged_is_refused_whole(load_sample):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(load_sample("statement.xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]  # the sheet's XML stops mid-row
            damaged.writestr(item, content)

    with pytest.raises(TruncatedFileError):
        parse_file(out.getvalue(), "statement.xlsx")
