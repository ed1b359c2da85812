"""Trades and prices files into an account: parse, fingerprint each row, record all or nothing.

A row's fingerprint is its normalized fields plus how many identical rows came before it in
the file, so importing the same file again adds nothing while two identical buys on one day in
one file are both kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from finance_app.db import DbSession
from finance_app.importers.trades import (
    TradeFileError,
    TradeRow,
    parse_prices_csv,
    parse_trades_csv,
)
from finance_app.models.ledger import Account
from finance_app.services.investments.records import (
    PriceInput,
    RecordResult,
    TradeInput,
    TradeRefused,
    record_prices,
    record_trades,
)
from finance_app.services.scope import Scope

__all__ = ["FileRefused", "import_prices_file", "import_trades_file", "parse_prices",
           "trade_fingerprint"]


class FileRefused(TradeRefused):
    """The file cannot be imported."""


def trade_fingerprint(row: TradeRow, occurrence: int) -> str:
    key = "|".join([row.day.isoformat(), row.symbol, row.action, f"{row.quantity.normalize():f}",
                    f"{row.price.normalize():f}", f"{row.fees.normalize():f}", str(occurrence)])
    return hashlib.sha256(key.encode()).hexdigest()


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused("The file is not UTF-8 text (save it as CSV UTF-8).") from exc


@dataclass(frozen=True)
class FileResult:
    rows: int
    added: int
    duplicates: int


def import_trades_file(session: DbSession, scope: Scope, account: Account,
                       data: bytes | str) -> FileResult:
    try:
        rows = parse_trades_csv(_decode(data))
    except TradeFileError as exc:
        raise FileRefused(f"{exc} Nothing was imported.", exc.row) from exc
    counts: dict[tuple, int] = {}
    trades = []
    for row in rows:
        key = (row.day, row.symbol, row.action, row.quantity, row.price, row.fees)
        counts[key] = counts.get(key, 0) + 1
        trades.append(TradeInput(row.day, row.symbol, row.action, row.quantity, row.price,
                                 row.fees, fingerprint=trade_fingerprint(row, counts[key]),
                                 ref=row.row))
    result: RecordResult = record_trades(session, scope, account, trades)
    return FileResult(len(rows), result.added, result.duplicates)


def parse_prices(data: bytes | str) -> list[PriceInput]:
    try:
        rows = parse_prices_csv(_decode(data))
    except TradeFileError as exc:
        raise FileRefused(f"{exc} Nothing was imported.", exc.row) from exc
    return [PriceInput(r.day, r.symbol, r.close) for r in rows]


def import_prices_file(session: DbSession, scope: Scope, data: bytes | str) -> FileResult:
    rows = parse_prices(data)
    result = record_prices(session, scope, rows)
    return FileResult(len(rows), result.added, result.duplicates)
