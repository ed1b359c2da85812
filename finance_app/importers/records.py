"""The importer's data: a raw table, the column mapping applied to it, and the parsed rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any, Literal

DateOrder = Literal["YMD", "MDY", "DMY"]
FileFormat = Literal["csv", "xlsx", "ofx", "qif"]


@dataclass(slots=True)
class ColumnMapping:
    """Which columns mean what, and how to read them. Columns are 0-based indexes into
    `RawTable.columns`; store a mapping with `to_dict()` next to the table's `signature`."""

    date_column: int
    description_columns: tuple[int, ...] = ()
    # Exactly one way of reading the amount: `amount_column` (optionally signed by
    # `indicator_column`), or `debit_column`/`credit_column` (either may be None if absent).
    amount_column: int | None = None
    debit_column: int | None = None
    credit_column: int | None = None
    indicator_column: int | None = None
    date_order: DateOrder = "MDY"
    decimal_separator: str = "."
    # True when the file writes spending as positive numbers (most credit-card exports).
    invert_sign: bool = False
    external_id_column: int | None = None
    currency_column: int | None = None
    default_currency: str | None = None
    # Non-empty when a remembered mapping's sign disagreed with this file (why, for the user):
    # the import waits until `sign_confirmed` says the user has checked it.
    sign_to_confirm: str = ""
    sign_confirmed: bool = False
    confidence: float = 1.0
    explanation: tuple[str, ...] = ()

    @property
    def awaits_sign_confirmation(self) -> bool:
        return bool(self.sign_to_confirm) and not self.sign_confirmed

    @property
    def amount_mode(self) -> Literal["amount", "indicator", "debit_credit"]:
        if self.amount_column is None:
            return "debit_credit"
        return "indicator" if self.indicator_column is not None else "amount"

    def columns_used(self) -> list[int]:
        used = [self.date_column, *self.description_columns]
        for col in (
            self.amount_column,
            self.debit_column,
            self.credit_column,
            self.indicator_column,
            self.external_id_column,
            self.currency_column,
        ):
            if col is not None:
                used.append(col)
        return used

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["description_columns"] = list(self.description_columns)
        data["explanation"] = list(self.explanation)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["description_columns"] = tuple(values.get("description_columns", ()))
        values["explanation"] = tuple(values.get("explanation", ()))
        return cls(**values)


@dataclass(slots=True)
class RawTable:
    """A file read as text cells: unique column names, data rows below the header (blank rows
    already dropped) and, for each row, its 1-based row number as the user sees it in the file."""

    columns: tuple[str, ...]
    rows: list[list[str]]
    row_numbers: list[int]
    format: FileFormat
    header: tuple[str, ...] = ()  # the header cells as written; () when the file has none
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # OFX and QIF have fixed meanings, so their reader supplies the mapping.
    preset_mapping: ColumnMapping | None = None

    @property
    def signature(self) -> str:
        from .fingerprint import header_signature

        return header_signature(self.header or self.columns)

    def column_values(self, index: int) -> list[str]:
        return [row[index] if index < len(row) else "" for row in self.rows]


@dataclass(slots=True)
class ParsedRow:
    """One transaction. `amount` is signed: negative = money out of the account."""

    row_number: int
    date: dt.date
    amount: Decimal
    description: str
    external_id: str | None = None
    currency: str | None = None
    # 0-based index among rows of the same file with equal date, amount and description.
    occurrence: int = 0
    cells: list[str] = field(default_factory=list, repr=False)
    columns: tuple[str, ...] = field(default=(), repr=False)

    @property
    def raw(self) -> dict[str, str]:
        # Built on demand so 50,000 rows don't each carry a dict.
        return {name: (self.cells[i] if i < len(self.cells) else "")
                for i, name in enumerate(self.columns)}

    def fingerprint(self, account_key: str) -> str:
        from .fingerprint import fingerprint

        return fingerprint(account_key, self.date, self.amount, self.description, self.occurrence)


@dataclass(slots=True)
class RowError:
    """A row that could not be read; the rest of the file is still imported."""

    row_number: int
    reason: str
    raw: dict[str, str]


@dataclass(slots=True)
class SkippedRow:
    """A row deliberately left out, such as a totals or balance line."""

    row_number: int
    reason: str


@dataclass(slots=True)
class ParseResult:
    rows: list[ParsedRow]
    errors: list[RowError]
    skipped: list[SkippedRow] = field(default_factory=list)
