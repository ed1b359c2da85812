"""Tabular downloads (CSV and XLSX) written one way: text safe from spreadsheet formulas,
amounts as numbers in their currency's own decimals.

Every CSV or XLSX a person downloads goes through here, so the rules hold everywhere:

- Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
  when the file is opened in a spreadsheet (OWASP "CSV injection"); it gets a leading `'`.
  A plain number written as text ("-12.50" from an imported file) cannot run and is kept.
- An `Amount` is a number, never text: quantized to its currency (2 decimals for USD, 0 for
  JPY, 3 for KWD) and, in XLSX, a numeric cell with a matching number format.
- Dates are dates, booleans booleans, `None` an empty cell.

Pure functions of rows: no Flask, no database, so services and later reports share them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from finance_app.money import CURRENCIES, currency_quantum, minor_units, quantize

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Digits with optional sign and separators: a spreadsheet reads it as a number, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*")
CSV_CHUNK_ROWS = 500


@dataclass(frozen=True)
class Amount:
    """An amount of money for an export cell: written in `currency`'s own decimals."""

    value: Decimal
    currency: str

    def quantized(self) -> Decimal:
        if self.currency in CURRENCIES:
            return quantize(self.value, currency_quantum(self.currency))
        return self.value  # unknown currency: keep what is stored rather than guess


Cell = str | Amount | Decimal | int | bool | date | None


def neutralize(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it: a leading `'` before a formula."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _csv_value(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, Amount):
        return format(cell.quantized(), "f")
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, Decimal):
        return format(cell, "f")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ", timespec="seconds")
    if isinstance(cell, date):
        return cell.isoformat()
    return neutralize(str(cell))


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]],
             chunk_rows: int = CSV_CHUNK_ROWS) -> Iterator[str]:
    """The CSV as text chunks of `chunk_rows` rows, for a streamed download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize(name) for name in header])
    for index, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(cell) for cell in row])
        if index % chunk_rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The whole CSV as one string."""
    return "".join(iter_csv(header, rows))


def _number_format(currency: str) -> str:
    digits = minor_units(currency) if currency in CURRENCIES else 4
    return "#,##0" + ("." + "0" * digits if digits else "")


@dataclass(frozen=True)
class SheetBlock:
    """One table of a sheet: an optional bold caption line, a bold header row, then the rows."""

    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    caption: str = ""


def to_xlsx_sheets(sheets: Iterable[tuple[str, Sequence[SheetBlock]]]) -> bytes:
    """An .xlsx workbook of several sheets (title, blocks), each block's tables one under the
    other with a blank row between; cells typed exactly as in to_xlsx."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for title, blocks in sheets:
        name = _sheet_name(title, used)
        sheet = workbook.create_sheet(title=name)
        for index, block in enumerate(blocks):
            if index:
                sheet.append([])
            if block.caption:
                caption = WriteOnlyCell(sheet, value=neutralize(block.caption))
                caption.data_type, caption.font = "s", bold
                sheet.append([caption])
            header_cells = []
            for label in block.header:
                cell = WriteOnlyCell(sheet, value=neutralize(label))
                cell.data_type, cell.font = "s", bold
                header_cells.append(cell)
            sheet.append(header_cells)
            for row in block.rows:
                sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of []:*?/\\, no edge quote (a
    sheet's name is never evaluated, so it needs no neutralizing)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Amount):
        cell = WriteOnlyCell(sheet, value=value.quantized())
        cell.number_format = _number_format(value.currency)
        return cell
    if isinstance(value, Decimal):
        return value
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    cell = WriteOnlyCell(sheet, value=neutralize(str(value)))
    cell.data_type = "s"  # openpyxl would take a leading "=" for a formula; text is text
    return cell


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]],
            sheet_title: str = "Export") -> bytes:
    """An .xlsx workbook of one sheet: a bold header row, then the rows, typed cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=neutralize(sheet_title)[:31] or "Export")
    bold = Font(bold=True)

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=neutralize(value))
        cell.data_type = "s"  # openpyxl would take a leading "=" for a formula; text is text
        return cell

    def typed(value: Any) -> WriteOnlyCell | Any:
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, Amount):
            cell = WriteOnlyCell(sheet, value=value.quantized())
            cell.number_format = _number_format(value.currency)
            return cell
        if isinstance(value, Decimal):
            return value
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return text_cell(str(value))

    header_cells = []
    for name in header:
        cell = text_cell(name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([typed(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
