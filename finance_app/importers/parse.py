"""Applying a ColumnMapping to a RawTable: typed rows, row-level errors and skipped lines."""

from __future__ import annotations

import re
from decimal import Decimal

from ..money import MoneyError
from .amounts import AmountParser, fits_separator, number_format
from .dates import DateParser
from .errors import MappingMismatchError
from .fingerprint import assign_occurrences
from .mapping import detect_mapping, sign_of_marker
from .records import ColumnMapping, ParsedRow, ParseResult, RawTable, RowError, SkippedRow
from .table import read_table

# Summary lines banks put among or after the transactions. Only skipped when the row has no
# readable date (or no amount), because "TOTAL WINE & MORE" is a shop.
_SUMMARY = re.compile(
    r"^\W*(grand\s+)?(total|totals|subtotal|sum|summe|gesamt|totaal|somme|totale|"
    r"(beginning|opening|starting|ending|closing|available|current|new|previous)\s+balance|"
    r"balance|saldo|solde|kontostand|anfangssaldo|endsaldo)\b",
    re.IGNORECASE,
)


def _is_summary(cells: list[str]) -> bool:
    return any(cell and _SUMMARY.match(cell) for cell in cells)


def apply_mapping(table: RawTable, mapping: ColumnMapping) -> ParseResult:
    """Read every row of `table` with `mapping`; bad rows become RowErrors, not exceptions."""
    width = len(table.columns)
    if any(not 0 <= col < width for col in mapping.columns_used()) or (
        mapping.amount_column is None and mapping.debit_column is None
        and mapping.credit_column is None
    ):
        raise MappingMismatchError(f"mapping uses columns beyond {width}")
    dates = DateParser(mapping.date_order)
    amounts = AmountParser(mapping.decimal_separator)
    date_col, desc_cols = mapping.date_column, mapping.description_columns
    id_col, cur_col = mapping.external_id_column, mapping.currency_column
    columns = table.columns
    rows: list[ParsedRow] = []
    errors: list[RowError] = []
    skipped: list[SkippedRow] = []

    for cells, number in zip(table.rows, table.row_numbers, strict=True):
        n = len(cells)
        date_text = cells[date_col] if date_col < n else ""
        day = dates.parse(date_text) if date_text else None
        money_cells = _money_cells(cells, mapping)
        if day is None:
            if _is_summary(cells):
                skipped.append(SkippedRow(number, "summary line"))
            elif not date_text and not any(money_cells):
                skipped.append(SkippedRow(number, "no date and no amount"))
            elif date_text:
                errors.append(_error(number, f'Could not read the date "{date_text}".', cells,
                                     columns))
            else:
                errors.append(_error(number, "The date is missing.", cells, columns))
            continue
        if not any(money_cells) and _is_summary(cells):
            skipped.append(SkippedRow(number, "balance line"))
            continue
        try:
            amount = _amount(cells, mapping, amounts)
        except MoneyError as exc:
            errors.append(_error(number, str(exc), cells, columns))
            continue
        parts = []
        for col in desc_cols:
            text = cells[col] if col < n else ""
            if text and text not in parts:
                parts.append(text)
        currency = (cells[cur_col] if cur_col is not None and cur_col < n else "") or None
        rows.append(ParsedRow(
            row_number=number,
            date=day,
            amount=amount,
            description=" - ".join(parts),
            external_id=(cells[id_col] if id_col is not None and id_col < n else "") or None,
            currency=(currency or mapping.default_currency or None),
            cells=cells,
            columns=columns,
        ))
    for row, occurrence in zip(rows, assign_occurrences(rows), strict=True):
        row.occurrence = occurrence
    return ParseResult(rows=rows, errors=errors, skipped=skipped)


def _money_cells(cells: list[str], mapping: ColumnMapping) -> list[str]:
    n = len(cells)
    return [cells[c] if c < n else "" for c in
            (mapping.amount_column, mapping.debit_column, mapping.credit_column) if c is not None]


def _amount(cells: list[str], mapping: ColumnMapping, amounts: AmountParser) -> Decimal:
    n = len(cells)
    if mapping.amount_column is not None:
        text = cells[mapping.amount_column] if mapping.amount_column < n else ""
        if not text:
            raise MoneyError("The amount is missing.")
        value = _parse(amounts, text)
        if mapping.indicator_column is not None:
            marker = cells[mapping.indicator_column] if mapping.indicator_column < n else ""
            sign = sign_of_marker(marker)
            if not sign:
                raise MoneyError(f'"{marker}" does not say whether this is a debit or a credit.')
            value = abs(value) * sign
        if mapping.invert_sign:
            value = -value
    else:
        debit = cells[mapping.debit_column] if mapping.debit_column is not None and \
            mapping.debit_column < n else ""
        credit = cells[mapping.credit_column] if mapping.credit_column is not None and \
            mapping.credit_column < n else ""
        if not debit and not credit:
            raise MoneyError("Neither the money-out nor the money-in column has an amount.")
        # Some banks write debits as negative numbers in the debit column; abs() covers both.
        value = (abs(_parse(amounts, credit)) if credit else Decimal(0)) - (
            abs(_parse(amounts, debit)) if debit else Decimal(0))
    return value if value else abs(value)  # no "-0.00"


def _parse(amounts: AmountParser, text: str) -> Decimal:
    try:
        return amounts.parse(text)
    except MoneyError:
        if not fits_separator(text, amounts.decimal_separator):
            raise MoneyError(
                f'Could not read the amount "{text}": the file\'s amounts are read as '
                f"{number_format(amounts.decimal_separator)}.") from None
        raise MoneyError(f'Could not read the amount "{text}".') from None


def _error(number: int, reason: str, cells: list[str], columns: tuple[str, ...]) -> RowError:
    raw = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns)}
    return RowError(row_number=number, reason=reason, raw=raw)


def parse_file(
    data: bytes, filename: str = "", mapping: ColumnMapping | None = None
) -> tuple[RawTable, ColumnMapping, ParseResult]:
    """read_table, then `mapping` (e.g. one remembered for `table.signature`) or a detected one,
    then apply_mapping."""
    table = read_table(data, filename)
    chosen = mapping if mapping is not None else detect_mapping(table)
    return table, chosen, apply_mapping(table, chosen)
