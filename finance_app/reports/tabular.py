"""The report as CSV and as an XLSX workbook (one sheet per section), through finance_app.exports:
formula-like text neutralized, money as exact numbers in the currency's decimals."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from finance_app.exports import Amount, Cell, SheetBlock, to_csv, to_xlsx_sheets
from finance_app.reports.data import MONEY, ReportData, Section, Table
from finance_app.reports.data import Cell as ReportCell

SUBCATEGORY_INDENT = "  "


def _cell(value: ReportCell, kind: str, currency: str, indent: str = "") -> Cell:
    if kind == MONEY and isinstance(value, Decimal):
        return Amount(value, currency)
    if isinstance(value, str) and indent:
        return indent + value
    return value


def _rows(table: Table, currency: str) -> Iterator[list[Cell]]:
    for row in table.rows:
        indent = SUBCATEGORY_INDENT * row.depth
        yield [_cell(value, column.kind, currency, indent if n == 0 else "")
               for n, (value, column) in enumerate(zip(row.cells, table.columns, strict=True))]


def _header(table: Table, currency: str) -> list[str]:
    return [f"{c.label} ({currency})" if c.kind == MONEY else
            (f"{c.label} (%)" if c.kind in ("percent", "change") else c.label)
            for c in table.columns]


def _cover_rows(data: ReportData) -> list[Sequence[Cell]]:
    rows: list[Sequence[Cell]] = [
        ["Report", data.title], ["Household", data.household],
        ["From", data.start], ["To", data.end], ["Currency", data.currency],
        ["Generated", data.generated_on],
    ]
    rows += [[label, value] for label, value in data.filters]
    return rows


FIGURE_HEADER = ["Figure", "Value", "Unit"]


def _figure_rows(section: Section, currency: str) -> list[Sequence[Cell]]:
    units = {MONEY: currency, "percent": "%", "change": "%", "count": "count"}
    return [[f.label, _cell(f.value, f.kind, currency), units.get(f.kind, "")]
            for f in section.figures]


def render_csv(data: ReportData) -> bytes:
    """Every section one after the other: its figures, then each table with its header row; a
    line naming the section above each block, a blank line between blocks."""
    parts = [to_csv(["Field", "Value"], _cover_rows(data))]
    for section in data.sections:
        if section.figures:
            parts.append("\r\n" + to_csv([section.title], []))
            parts.append(to_csv(FIGURE_HEADER, _figure_rows(section, data.currency)))
        for table in section.tables:
            parts.append("\r\n" + to_csv([f"{section.title}: {table.title}"], []))
            parts.append(to_csv(_header(table, data.currency), _rows(table, data.currency)))
    return "".join(parts).encode("utf-8")


def render_xlsx(data: ReportData) -> bytes:
    """A cover sheet (period and filters), then one sheet per section."""
    sheets: list[tuple[str, list[SheetBlock]]] = [
        ("Report", [SheetBlock(["Field", "Value"], _cover_rows(data), caption=data.title)]),
    ]
    for section in data.sections:
        blocks = []
        if section.figures:
            blocks.append(SheetBlock(FIGURE_HEADER, _figure_rows(section, data.currency),
                                     caption=section.title))
        blocks += [SheetBlock(_header(t, data.currency), list(_rows(t, data.currency)),
                              caption=t.title) for t in section.tables]
        if blocks:
            sheets.append((section.title, blocks))
    return to_xlsx_sheets(sheets)
