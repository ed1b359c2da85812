"""What a report is, as plain data: sections of figures, tables and charts, money in Decimal.

The one builder (services/reports/builder.py) makes it; the HTML page and every renderer read
it, so the page, CSV, XLSX and PDF always show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from finance_app.money import format_money

# What a column (or figure) holds: how it is formatted, and what type its cells are.
TEXT, MONEY, PERCENT, CHANGE, COUNT, DATE = "text", "money", "percent", "change", "count", "date"

Cell = str | Decimal | int | date | None


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    depth: int = 0  # 1 for a subcategory under its group
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty_text: str = "Nothing in this period."


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal, ...]
    color: str


@dataclass(frozen=True)
class Chart:
    """A bar ("bar", "hbar") or line chart; the same figures are in one of the section's tables."""

    kind: str
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def is_empty(self) -> bool:
        """Nothing worth drawing: no values, or a trend over time of a single point (one month
        is better read in its table)."""
        if self.kind != "hbar" and len(self.labels) < 2:
            return True
        return not self.labels or all(v == 0 for s in self.series for v in s.values)


@dataclass(frozen=True)
class Figure:
    label: str
    value: Decimal | int | None
    kind: str = MONEY
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    chart: Chart | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Totals:
    """The summary line every format and the CLI print: spending positive, transfers out."""

    income: Decimal
    spending: Decimal
    transactions: int

    @property
    def net(self) -> Decimal:
        return self.income - self.spending


@dataclass(frozen=True)
class ReportData:
    title: str
    household: str
    currency: str
    start: date
    end: date
    generated_on: date
    totals: Totals
    # (label, value) of each filter in force, for the cover and the page: ("Accounts", "All").
    filters: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()

    @property
    def period_label(self) -> str:
        return f"{self.start.strftime('%-d %b %Y')} – {self.end.strftime('%-d %b %Y')}"


def format_cell(value: Cell, kind: str, currency: str) -> str:
    """A cell as people read it: money in the currency's own decimals, "12.5%", "3 Mar 2026"."""
    if value is None:
        return "—"
    if kind == MONEY and isinstance(value, Decimal):
        return format_money(value, currency)
    if kind == PERCENT and isinstance(value, Decimal):
        return f"{value}%"
    if kind == CHANGE and isinstance(value, Decimal):
        return f"{'+' if value > 0 else ''}{value}%"
    if kind == COUNT and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return str(value)
