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
_GROUP_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")
_NUMBER_CORE = re.compile(r"\d[\d.,]*")
# Thousands groups as written: 1-3 leading digits, then groups of 3 (or of 2 before the last
# group of 3, as Indian lakh grouping writes 1,23,456).
_GROUPS = {".": re.compile(r"\d{1,3}(?:,\d{2,3})*,\d{3}"),
           ",": re.compile(r"\d{1,3}(?:\.\d{2,3})*\.\d{3}")}
NUMBER_FORMATS = {".": "1,234.56", ",": "1.234,56"}

__all__ = ["NUMBER_FORMATS", "AmountParser", "MoneyError", "decimal_evidence",
           "infer_decimal_separator", "number_format"]


def number_format(decimal_separator: str) -> str:
    """How amounts are written with this decimal mark: "1,234.56" or "1.234,56"."""
    return NUMBER_FORMATS.get(decimal_separator, NUMBER_FORMATS["."])


def decimal_evidence(values: Iterable[str]) -> tuple[int, int]:
    """How many values can only be read with a decimal point, and how many only with a comma.

    A value with both marks decides by the last one; a lone mark followed by one, two or four+
    digits is a decimal mark; three digits ("1,234") is ambiguous and counts for neither.
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
    return dot, comma


def infer_decimal_separator(values: Iterable[str], hint: str = ".") -> str:
    """"." or "," for a whole column, so that "1,234" means the same in every row: the mark
    most values can only be read with (see `decimal_evidence`), else the hint."""
    dot, comma = decimal_evidence(values)
    if dot == comma:
        return hint
    return "." if dot > comma else ","


def fits_separator(text: str, decimal_separator: str) -> bool:
    """False when `text` cannot be written with this decimal mark: the other mark after it
    ("1.234,56" read with "."), or not in thousands groups ("12,5" read with ".")."""
    core = _NUMBER_CORE.search(_GROUP_SPACES.sub("", text))
    if core is None:
        return True
    number = core.group().rstrip(".,")
    grouping = "," if decimal_separator == "." else "."
    whole, _, fraction = number.partition(decimal_separator)
    if grouping in fraction:
        return False
    return grouping not in whole or _GROUPS[decimal_separator].fullmatch(whole) is not None


class AmountParser:
    """Parses one column's amounts with a fixed decimal separator; plain numbers skip the
    general parser, which is most of a 50,000-row file. A value written in the other
    convention is refused rather than misread ("-1.234,56" is not -1.23456)."""

    def __init__(self, decimal_separator: str = ".") -> None:
        self.decimal_separator = decimal_separator
        self._plain = _PLAIN_DOT if decimal_separator == "." else _PLAIN_COMMA

    def parse(self, text: str) -> Decimal:
        if self._plain.fullmatch(text):
            if self.decimal_separator == ".":
                return Decimal(text.replace(",", ""))
            return Decimal(text.replace(".", "").replace(",", "."))
        if not fits_separator(text, self.decimal_separator):
            raise MoneyError(f"{text!r} is not written as {number_format(self.decimal_separator)}")
        return parse_amount(text, self.decimal_separator)

    def is_amount(self, text: str) -> bool:
        try:
            self.parse(text)
        except MoneyError:
            return False
        return True
