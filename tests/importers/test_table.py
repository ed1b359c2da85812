from __future__ import annotations

import codecs

import pytest

from finance_app.importers import (
    EmptyFileError,
    ImportFileError,
    NoDataRowsError,
    NotATableError,
    UnsupportedFormatError,
    read_table,
)
from finance_app.importers.table import decode, detect_delimiter

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"])
def test_empty_file(data):
    with pytest.raises(EmptyFileError) as info:
        read_table(data, "empty.csv")
    assert info.value.message == "The file is empty."


def test_only_commas_is_empty():
    with pytest.raises(EmptyFileError):
        read_table(b",,,\n,,,\n", "blank.csv")


@pytest.mark.parametrize("text", ["Date,Description,Amount\n", "Date,Description,Amount\n\n,,\n"])
def test_header_only(text):
    with pytest.raises(NoDataRowsError) as info:
        read_table(text.encode(), "header.csv")
    assert "no transactions" in info.value.message


def test_png_renamed_csv_is_not_a_table():
    with pytest.raises(NotATableError) as info:
        read_table(PNG + bytes(range(256)) * 4, "statement.csv")
    assert isinstance(info.value, ImportFileError)
    assert "does not look like a bank export" in info.value.message


def test_random_binary_without_magic_is_not_a_table():
    data = bytes((i * 37 + 11) % 256 for i in range(4000))
    with pytest.raises(NotATableError):
        read_table(data, "mystery.csv")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "statement.pdf"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "old.xls"),
        (b"<!DOCTYPE html><html><table><tr><td>1</td></tr></table></html>", "export.xls"),
        (b"Date,Amount\n01/02/2025,5.00\n", "notes.ofx"),
    ],
)
def test_unsupported_formats(data, name):
    with pytest.raises(UnsupportedFormatError) as info:
        read_table(data, name)
    assert "not supported" in info.value.message


def test_a_text_file_with_one_column_is_not_a_table():
    with pytest.raises(NotATableError):
        read_table(b"Dear customer\nthank you for banking with us\nregards\n", "letter.csv")


def test_windows_1252_text_with_accents_and_pound():
    data = "Date,Description,Amount\n02/01/2025,Café Zoë £5 voucher,-5.00\n".encode("cp1252")
    table = read_table(data, "w.csv")
    assert table.encoding == "cp1252"
    assert table.rows[0][1] == "Café Zoë £5 voucher"


def test_latin1_bytes_undefined_in_cp1252_still_decode():
    text, encoding = decode("Date;Name\n01.02.2025;Gr\u00fc\u00dfe \x81\n".encode("latin-1"))
    assert encoding == "latin-1"
    assert "Grüße" in text


def test_utf8_bom_is_not_part_of_the_first_header():
    data = codecs.BOM_UTF8 + "Date,Description,Amount\n2025-01-02,Crème brûlée,-4.50\n".encode()
    table = read_table(data, "bom.csv")
    assert table.columns[0] == "Date"
    assert table.encoding == "utf-8-sig"
    assert table.rows[0][1] == "Crème brûlée"


def test_utf16_tab_separated_export_from_excel():
    data = "Date\tDescription\tAmount\r\n2025-01-02\tCoffee\t-3.20\r\n".encode("utf-16")
    table = read_table(data, "unicode.txt")
    assert (table.delimiter, table.columns, table.rows[0]) == (
        "\t", ("Date", "Description", "Amount"), ["2025-01-02", "Coffee", "-3.20"])


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Datum;Omschrijving;Bedrag\n01-02-2025;Albert Heijn, Utrecht;-12,50\n"
         "02-02-2025;Salaris;2.500,00\n", ";"),
        ("Date\tDescription\tAmount\n2025-01-02\tFoo, Bar and Baz\t-1.00\n", "\t"),
        ("Date|Description|Amount\n2025-01-02|Foo|-1.00\n2025-01-03|Bar|2.00\n", "|"),
        ('Date,Description,Amount\n2025-01-02,"Foo; Bar",-1.00\n2025-01-03,Baz,"1,200.00"\n', ","),
    ],
)
def test_delimiter_detection(text, delimiter):
    assert detect_delimiter(text) == delimiter


def test_semicolon_beats_decimal_comma_that_splits_every_row_in_two():
    text = "Datum;Text;Betrag\n" + "".join(f"0{d}.02.2025;Kauf {d};-1{d},50\n" for d in range(1, 8))
    assert detect_delimiter(text) == ";"


def test_preamble_above_header_is_skipped():
    text = (
        "Account statement for J. Smith\n"
        "Account number:,****1234\n"
        "Period:,01/01/2025 - 31/01/2025\n"
        "\n"
        "Booking date,Payee,Amount\n"
        "15/01/2025,Tesco,-20.00\n"
        "16/01/2025,Salary,1500.00\n"
    )
    table = read_table(text.encode(), "preamble.csv")
    assert table.header_row == 5
    assert table.columns == ("Booking date", "Payee", "Amount")
    assert table.row_numbers == [6, 7]


def test_headerless_file_gets_numbered_columns():
    table = read_table(b"2025-01-02,Coffee,-3.20\n2025-01-03,Tea,-2.10\n", "raw.csv")
    assert table.header_row is None
    assert table.columns == ("Column 1", "Column 2", "Column 3")
    assert len(table.rows) == 2


def test_duplicate_and_blank_header_names_become_unique():
    table = read_table(b"Date,Amount,,Amount\n2025-01-02,1.00,x,2.00\n", "dup.csv")
    assert table.columns == ("Date", "Amount", "Column 3", "Amount (2)")


def test_trailing_comma_on_data_rows_does_not_shift_columns():
    text = "Date,Description,Amount\n01/02/2025,Coffee,-3.20,\n01/03/2025,Tea,-2.10,\n"
    table = read_table(text.encode(), "chase.csv")
    assert table.columns == ("Date", "Description", "Amount")
    assert table.rows[0][:3] == ["01/02/2025", "Coffee", "-3.20"]


def test_signature_ignores_case_spacing_and_punctuation():
    a = read_table(b"Date,Description,Amount\n2025-01-02,x,1\n", "a.csv")
    b = read_table(b"date , DESCRIPTION,amount.\n2025-01-02,x,1\n", "b.csv")
    c = read_table(b"Date,Payee,Amount\n2025-01-02,x,1\n", "c.csv")
    assert a.signature == b.signature
    assert a.signature != c.signature
    assert len(a.signature) == 64


def test_content_wins_over_the_file_name():
    table = read_table(b"Date,Description,Amount\n2025-01-02,Tea,-2.10\n", "export.xlsx")
    assert (table.format, table.columns[0]) == ("csv", "Date")
