"""Which currency a bank export is in, from what the file itself says.

A currency column or an OFX CURDEF settles it; otherwise the symbols and codes written in the
amount cells ("€12,50", "12.50 GBP"); otherwise the number format can only hint (1.234,56 is
written in most of Europe, also for CHF or DKK), so the caller asks instead of guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from finance_app.money import CURRENCIES

from .records import ColumnMapping, RawTable

# Symbols that name one currency. "$", "kr" and "¥" name several, so they only confirm a
# currency of that family (the household's own, or the usual one) and never decide alone.
_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "₩": "KRW", "₺": "TRY", "₪": "ILS", "₱": "PHP",
            "₫": "VND", "฿": "THB", "₴": "UAH", "₦": "NGN", "zł": "PLN", "Kč": "CZK", "Ft": "HUF",
            "R$": "BRL", "CHF": "CHF", "Fr.": "CHF"}
_FAMILIES = {"$": ("USD", "CAD", "AUD", "NZD", "MXN", "SGD", "HKD"),
             "kr": ("SEK", "NOK", "DKK", "ISK"), "¥": ("JPY", "CNY")}
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_SAMPLE = 2000


@dataclass(frozen=True)
class CurrencyGuess:
    code: str | None  # None: the file does not say
    reason: str


def _amount_cells(table: RawTable, mapping: ColumnMapping) -> Iterable[str]:
    columns = [c for c in (mapping.amount_column, mapping.debit_column, mapping.credit_column)
               if c is not None]
    for row in table.rows[:_SAMPLE]:
        for column in columns:
            if column < len(row) and row[column]:
                yield row[column]


def detect_currency(table: RawTable, mapping: ColumnMapping, row_currencies: Iterable[str],
                    base_currency: str) -> CurrencyGuess:
    """The file's currency and why, or None with the reason it cannot tell."""
    stated = Counter(c.upper() for c in row_currencies if c and c.upper() in CURRENCIES)
    if stated:
        code = stated.most_common(1)[0][0]
        return CurrencyGuess(code, f"the file gives {code} as its currency")
    named: Counter[str] = Counter()
    families: Counter[str] = Counter()
    for cell in _amount_cells(table, mapping):
        for code in _CODE.findall(cell):
            if code in CURRENCIES:
                named[code] += 1
        for symbol, code in _SYMBOLS.items():
            if symbol in cell:
                named[code] += 1
        for symbol in _FAMILIES:
            if symbol in cell:
                families[symbol] += 1
    if named:
        code = named.most_common(1)[0][0]
        return CurrencyGuess(code, f"the amounts are written in {code}")
    if families:
        members = _FAMILIES[families.most_common(1)[0][0]]
        code = base_currency if base_currency in members else members[0]
        return CurrencyGuess(code, f"the amounts carry {families.most_common(1)[0][0]!r}")
    if mapping.decimal_separator == "," and base_currency in _POINT_DECIMAL:
        return CurrencyGuess(None, "the amounts are written 1.234,56 and name no currency")
    return CurrencyGuess(base_currency, "the file names no currency: your default currency")


# Base currencies whose own amounts are written with a decimal point: a file written with a
# decimal comma beside one of them is probably from a bank abroad.
_POINT_DECIMAL = frozenset({"USD", "GBP", "JPY", "CAD", "AUD", "NZD", "INR", "MXN", "SGD", "HKD",
                            "CNY", "KRW", "ILS", "THB", "PHP", "MYR", "NGN"})
