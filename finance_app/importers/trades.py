"""Trades and prices files -> parsed rows: `date,symbol,action,quantity,price,fees` and
`date,symbol,close`. No database; every error names its row (the header is row 1)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.models.investment import SPLIT, TRADE_ACTIONS
from finance_app.money import ZERO, MoneyError, parse_amount

TRADE_COLUMNS = ("date", "symbol", "action", "quantity", "price", "fees")
PRICE_COLUMNS = ("date", "symbol", "close")
MAX_ROWS = 100_000
MAX_SYMBOL = 20


class TradeFileError(ValueError):
    """A row of the file cannot be read."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(f"Row {row}: {message}" if row else message)
        self.row = row
        self.message = message


@dataclass(frozen=True)
class TradeRow:
    row: int
    day: date
    symbol: str
    action: str
    quantity: Decimal
    price: Decimal
    fees: Decimal


@dataclass(frozen=True)
class PriceRow:
    row: int
    day: date
    symbol: str
    close: Decimal


def _rows(text: str, columns: tuple[str, ...],
          required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise TradeFileError(0, "The file is empty.")
    names = [h.strip().lower() for h in header]
    missing = [c for c in required if c not in names]
    if missing:
        raise TradeFileError(1, f"the header needs the columns {', '.join(columns)} "
                                f"(missing {', '.join(missing)}).")
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise TradeFileError(number, f"more than {MAX_ROWS} rows; split the file.")
        rows.append((number, {name: (cells[i].strip() if i < len(cells) else "")
                              for i, name in enumerate(names)}))
    return rows


def _date(row: int, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise TradeFileError(row, f"the date {text!r} is not a date like 2025-03-31.") from exc


def _number(row: int, name: str, text: str, *, default: Decimal | None = None) -> Decimal:
    if not text and default is not None:
        return default
    try:
        value = parse_amount(text, ".")
    except MoneyError as exc:
        raise TradeFileError(row, f"the {name} {text!r} is not a number like 12.50.") from exc
    if value < ZERO:
        raise TradeFileError(row, f"the {name} must not be negative.")
    return value


def _symbol(row: int, text: str) -> str:
    symbol = text.strip().upper()
    if not symbol or len(symbol) > MAX_SYMBOL:
        raise TradeFileError(row, f"the symbol {text!r} must be 1 to {MAX_SYMBOL} characters.")
    return symbol


def parse_trades_csv(text: str) -> list[TradeRow]:
    parsed = []
    for row, cells in _rows(text, TRADE_COLUMNS, ("date", "symbol", "action", "quantity")):
        action = cells.get("action", "").lower().replace(" ", "_").replace("-", "_")
        if action not in TRADE_ACTIONS:
            raise TradeFileError(row, f"the action {cells.get('action')!r} is not one of "
                                      f"{', '.join(TRADE_ACTIONS)}.")
        quantity = _number(row, "quantity", cells.get("quantity", ""))
        if quantity == ZERO:
            raise TradeFileError(row, "the quantity must be more than zero.")
        price = _number(row, "price", cells.get("price", ""),
                        default=ZERO if action == SPLIT else None)
        parsed.append(TradeRow(row, _date(row, cells["date"]), _symbol(row, cells["symbol"]),
                               action, quantity, price,
                               _number(row, "fees", cells.get("fees", ""), default=ZERO)))
    return parsed


def parse_prices_csv(text: str) -> list[PriceRow]:
    parsed = []
    for row, cells in _rows(text, PRICE_COLUMNS, PRICE_COLUMNS):
        close = _number(row, "close", cells["close"])
        if close == ZERO:
            raise TradeFileError(row, "the close must be more than zero.")
        parsed.append(PriceRow(row, _date(row, cells["date"]), _symbol(row, cells["symbol"]),
                               close))
    return parsed
