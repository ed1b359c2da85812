"""Money as Decimal: parsing, quantizing and formatting, with the sign convention written once.

Sign convention: an amount is signed from the account holder's point of view:
negative = money leaves the account (spending, fees, transfers out),
positive = money arrives (income, refunds, transfers in).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

import babel.numbers
from babel.core import get_global

CENT = Decimal("0.01")
ZERO = Decimal("0")
# Database columns store four decimal places so that exchange-rate conversions keep precision;
# amounts shown to people are rounded to cents (banker's rounding, as ledgers do).
STORAGE_QUANTUM = Decimal("0.0001")

# Symbols we show instead of babel's English ones, where a bare "$" or "kr" would be ambiguous
# beside the US dollar (babel's "CA$", "A$" are kept; these are the ones it lacks).
_SYMBOL_OVERRIDES = {"CHF": "CHF ", "SEK": "kr ", "NOK": "NOK ", "DKK": "DKK "}


def _active_iso_currencies() -> tuple[str, ...]:
    """Every ISO 4217 currency that is legal tender somewhere today (babel's CLDR tables),
    sorted by code: about 150, from AED to ZWG, with KWD and BHD; no historic or fund codes."""
    today = date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(babel.numbers.get_territory_currencies(
            territory, start_date=today, end_date=today, tender=True, non_tender=False))
    return tuple(sorted(codes))


CURRENCIES = _active_iso_currencies()


@lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    """Digits after the decimal point for this currency: 2 for USD, 0 for JPY, 3 for KWD."""
    return int(babel.numbers.get_currency_precision(currency))


def currency_quantum(currency: str) -> Decimal:
    """The smallest amount of this currency: Decimal("0.01") for USD, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))


def fits_currency(value: Decimal, currency: str) -> bool:
    """True when `value` has no more decimals than the currency allows (12.345 USD does not)."""
    return value == value.quantize(currency_quantum(currency))


@lru_cache(maxsize=512)
def currency_symbol(currency: str) -> str:
    """What precedes an amount: "$", "€", "CA$"; the code and a space where babel has none."""
    if currency in _SYMBOL_OVERRIDES:
        return _SYMBOL_OVERRIDES[currency]
    symbol = babel.numbers.get_currency_symbol(currency, locale="en_US")
    return symbol if symbol != currency else currency + " "


class MoneyError(ValueError):
    """Not an amount of money."""


def to_decimal(value: object) -> Decimal:
    """Turn an int, str or Decimal into a Decimal; floats are refused because they are inexact."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise MoneyError(f"refusing inexact value {value!r}; pass a string or Decimal")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return parse_amount(value)
    raise MoneyError(f"not an amount: {value!r}")


# Only these may surround the number: whitespace, currency symbols (any Unicode "Sc" character,
# matched below), and a currency code or abbreviation set off from the digits. Anything else,
# e.g. the letters in "TARGET T-2853" or the slashes of a date, means the text is not an amount;
# being strict here is what lets importers tell amount columns from text columns.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']")  # apostrophe: Swiss "1'234.50"
_CODE_PREFIX = re.compile(
    r"^(?:[A-Z]{3}|[A-Z]{1,2}\$|kr\.?|Kr\.?|Fr\.|Rs\.?|zł|Kč|Ft)(?=[\s\d.,(])"
)
_CODE_SUFFIX = re.compile(r"(?<=[\s\d.)-])(?:[A-Z]{3}|kr\.?|Kr\.?|Fr\.|zł|Kč|Ft|€|\$|£)$")
_NUMBER = re.compile(r"[+-]?\(?(?:\d[\d.,]*|[.,]\d+)\)?[+-]?")
_MINUS_SIGNS = str.maketrans(dict.fromkeys("\u2212\u2013\u2012\ufe63\uff0d", "-"))


def parse_amount(text: str, decimal_separator: str | None = None) -> Decimal:
    """Parse a human-written amount: "1,234.56", "1.234,56", "(12.00)", "-$12", "12.00 CR".

    `decimal_separator` forces "." or ","; otherwise it is inferred from the string itself.
    A trailing "CR" means positive, "DR" negative, parentheses negative. Currency symbols and
    codes ("EUR 12,00", "12.00 USD") are ignored; any other text makes it not an amount.
    """
    raw = text.strip().translate(_MINUS_SIGNS)
    if not raw:
        raise MoneyError("empty amount")
    sign = 1
    upper = raw.upper()
    if upper.endswith(("CR", "DR")) and not upper.endswith(("CR$", "DR$")):
        if upper.endswith("DR"):
            sign = -1
        raw = raw[:-2].rstrip().rstrip(".")
    raw = _CODE_PREFIX.sub("", raw)
    raw = _CODE_SUFFIX.sub("", raw.strip())
    if "$" in raw or not raw.isascii():  # "$" is the only ASCII currency symbol
        raw = "".join(ch for ch in raw if not _is_currency_symbol(ch))
    cleaned = _SPACES.sub("", raw)
    if not _NUMBER.fullmatch(cleaned):
        raise MoneyError(f"not an amount: {text!r}")
    if "(" in cleaned or ")" in cleaned:
        if not (cleaned[0] == "(" and cleaned[-1] == ")"):
            raise MoneyError(f"not an amount: {text!r}")
        sign = -sign
        cleaned = cleaned.replace("(", "").replace(")", "")
    if cleaned.endswith(("-", "+")):  # "12.00-" as some European banks write it
        if cleaned[0] in "+-":
            raise MoneyError(f"not an amount: {text!r}")
        cleaned = cleaned[-1] + cleaned[:-1]
    negative = cleaned.startswith("-")
    digits = cleaned.lstrip("+-")
    sep = decimal_separator or _infer_decimal_separator(digits)
    if sep == ",":
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    if digits.count(".") > 1 or not any(ch.isdigit() for ch in digits):
        raise MoneyError(f"not an amount: {text!r}")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:
        raise MoneyError(f"not an amount: {text!r}") from exc
    if negative:
        value = -value
    return value * sign


def _is_currency_symbol(ch: str) -> bool:
    return unicodedata.category(ch) == "Sc"


def _infer_decimal_separator(digits: str) -> str:
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","
    if last_comma >= 0:
        # "12,34" is a decimal comma; "1,234" is a thousands separator.
        tail = digits[last_comma + 1 :]
        return "," if len(tail) != 3 or (digits.count(",") == 1 and digits.startswith("0")) else "."
    return "."


def quantize(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_EVEN)


def format_money(value: Decimal | None, currency: str = "USD", *, signed: bool = False) -> str:
    """Format for display in the currency's own decimals: "$1,234.56", "-€12.00", "¥1,235",
    "KWD 1.250"; `signed` adds "+" to positives."""
    if value is None:
        return "—"
    digits = minor_units(currency)
    amount = quantize(value, currency_quantum(currency))
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    return f"{sign}{currency_symbol(currency)}{abs(amount):,.{digits}f}"


@lru_cache(maxsize=512)
def currency_name(currency: str) -> str:
    """The currency's English name: "Kuwaiti Dinar"; the code itself where babel has none."""
    return str(babel.numbers.get_currency_name(currency, locale="en"))


def currency_label(currency: str) -> str:
    """What a currency picker shows: "KWD — Kuwaiti Dinar"."""
    name = currency_name(currency)
    return currency if name == currency else f"{currency} — {name}"


def currency_choices() -> list[tuple[str, str]]:
    """(code, label) of every currency in CURRENCIES, for select fields."""
    return [(code, currency_label(code)) for code in CURRENCIES]


def precision_rule(currency: str) -> str:
    """The currency's decimals as a sentence part: "USD amounts have at most 2 decimal places",
    "JPY amounts have no decimal places"."""
    digits = minor_units(currency)
    if digits == 0:
        return f"{currency} amounts have no decimal places"
    return f"{currency} amounts have at most {digits} decimal place{'s' if digits != 1 else ''}"


def input_text(value: Decimal, currency: str) -> str:
    """An amount as a form field shows it: the currency's own decimals ("12.50", "1235",
    "1.255"), or every digit when a stored amount is finer (nothing is rounded away)."""
    quantum = currency_quantum(currency)
    if value == value.quantize(quantum):
        return f"{value.quantize(quantum):f}"
    return f"{value.normalize():f}"
