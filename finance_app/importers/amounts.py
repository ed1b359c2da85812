"""Amount columns: the column-wide decimal separator, and a fast parser built on money.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..money import MoneyError, parse_amount

# Plain numbers, optionally with regular thousands groups: the bulk of every file.
_PLAIN_DOT = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_PLAIN_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_DIGITS_AFTER = re.compile(r"[.,](\d+)\D*$")

__all__ = ["AmountParser", "MoneyError", "infer_decimal_separator"]


def infer_decimal_separator(values: Iterable[str], hint: str = ".") -> str:
    """"." or "," for a whole column, so that "1,234" means the same in every row.

    A value with both marks decides by the last one; a lone mark followed by one, two or four+
    digits is a decimal mark; three digits ("1,234") is ambiguous and left to the rest.
    """
    dot = comma = 0
    for value in values:
        last_dot, last_comma = value.rfind("."), value.rfind(",")
        if last_dot < 0 and last_comma < 0:
            continue
        if last_dot >= 0 and last_comma >= 0:
            if last_dot > last_comma:
                dot += 1
            else:
                comma += 1
            continue
        match = _DIGITS_AFTER.search(value)
        if match is None or len(match.group(1)) == 3:
            continue
        if last_dot >= 0:
            dot += 1
        else:
            comma += 1
    if dot == comma:
        return hint
    return "." if dot > comma else ","


class AmountParser:
    """Parses one column's amounts with a fixed decimal separator; plain numbers skip the
    general parser, which is most of a 50,000-row file."""

    def __init__(self, decimal_separator: str = ".") -> None:
        self.decimal_separator = decimal_separator
        self._plain = _PLAIN_DOT if decimal_separator == "." else _PLAIN_COMMA

    def parse(self, text: str) -> Decimal:
        if self._plain.fullmatch(text):
            if self.decimal_separator == ".":
                return Decimal(text.replace(",", ""))
            return Decimal(text.replace(".", "").replace(",", "."))
        return parse_amount(text, self.decimal_separator)

    def is_amount(self, text: str) -> bool:
        try:
            self.parse(text)
        except MoneyError:
            return False
        return True
