"""Dates as banks write them: ISO, numeric day/month orders, month names in several languages."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from .records import DateOrder

_MONTH_WORDS = {
    1: "jan january janv janvier januar janner enero ene gennaio gen januari jaan tammikuu sty",
    2: "feb february febr fev fevr fevrier februar febrero febbraio februari helmikuu lut",
    3: "mar march mars marz marzo maart mrt maaliskuu",
    4: "apr april avr avril abril abr aprile huhtikuu kwi",
    5: "may mai mayo maggio mei mag toukokuu maj",
    6: "jun june juin juni junio giugno giu kesakuu cze",
    7: "jul july juil juillet juli julio luglio lug heinakuu lip",
    8: "aug august aout agosto augustus ago elokuu sie",
    9: "sep sept september septembre septiembre settembre set syyskuu wrz",
    10: "oct october okt oktober octobre octubre ottobre ott lokakuu paz",
    11: "nov november novembre noviembre marraskuu lis",
    12: "dec december dez dezember decembre diciembre dic dicembre joulukuu gru",
}
MONTHS = {word: month for month, words in _MONTH_WORDS.items() for word in words.split()}
_WEEKDAYS = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs",
    "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday",
    "lun", "mer", "jeu", "ven", "sam", "dim",
}
_FILLERS = {"st", "nd", "rd", "th", "of", "de", "del", "le", "the"}

# A trailing clock time (with optional seconds, am/pm and zone) is dropped: only the day matters.
_TIME = re.compile(
    r"(?:t|\s+|(?<=\d))\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:z|utc|gmt|[+-]\d{2}:?\d{2})?$"
)
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_SEPARATORS = re.compile(r"[\s/.\-,'’_]*")


class DateShape(NamedTuple):
    """A date read without knowing the column's order: `ambiguous` means a/b could be d/m or m/d."""

    year: int
    a: int  # month when not ambiguous
    b: int  # day when not ambiguous
    ambiguous: bool


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _year(token: str) -> int | None:
    if len(token) == 4:
        return int(token)
    if len(token) == 2:
        value = int(token)
        return 2000 + value if value < 70 else 1900 + value
    return None


def shape_of(text: str) -> DateShape | None:
    """Split a date string into year and two other parts, or None if it is not a date."""
    s = _fold(text)
    if not s or len(s) > 40:
        return None
    s = _TIME.sub("", s).strip()
    tokens = _TOKEN.findall(s)
    if _SEPARATORS.fullmatch(_TOKEN.sub("", s)) is None:
        return None
    tokens = [t for t in tokens if t not in _FILLERS and t not in _WEEKDAYS]
    if len(tokens) == 1 and len(tokens[0]) == 8 and tokens[0].isdigit():
        t = tokens[0]
        if t[:2] in ("19", "20"):
            return _checked(int(t[:4]), int(t[4:6]), int(t[6:]), False)
        return _checked(int(t[4:]), int(t[:2]), int(t[2:4]), True)
    if len(tokens) != 3:
        return None
    words = [t for t in tokens if not t.isdigit()]
    if not words:
        first, second, third = tokens
        if len(first) == 4:  # ISO order; nobody writes year/day/month
            return _checked(int(first), int(second), int(third), False)
        year = _year(third)
        if year is None or len(first) > 2 or len(second) > 2:
            return None
        return _checked(year, int(first), int(second), True)
    if len(words) != 1:
        return None
    month = MONTHS.get(words[0]) or MONTHS.get(words[0][:3]) if len(words[0]) >= 3 else None
    if month is None:
        return None
    numbers = [t for t in tokens if t.isdigit()]
    if tokens[0].isdigit() and len(tokens[0]) == 4:  # 2025-Jan-02
        return _checked(int(tokens[0]), month, int(numbers[1]), False)
    # "02 Jan 2025" or "Jan 2, 2025": the year is the 4-digit number, else the last one.
    if len(numbers[0]) == 4:
        day, year = numbers[1], _year(numbers[0])
    else:
        day, year = numbers[0], _year(numbers[1])
    if year is None or len(day) > 2:
        return None
    return _checked(year, month, int(day), False)


def _checked(year: int, a: int, b: int, ambiguous: bool) -> DateShape | None:
    if not 1900 <= year <= 2100 or a < 1 or b < 1 or a > 31 or b > 31:
        return None
    if ambiguous:
        if a > 12 and b > 12:
            return None
    elif a > 12:
        return None
    return DateShape(year, a, b, ambiguous)


def looks_like_date(text: str) -> bool:
    return shape_of(text) is not None


def to_date(shape: DateShape, order: DateOrder) -> dt.date | None:
    """Resolve a shape with the column's order; an unambiguous reading wins over the order."""
    month, day = shape.a, shape.b
    if shape.ambiguous and (order == "DMY" or month > 12):
        month, day = day, month
    try:
        return dt.date(shape.year, month, day)
    except ValueError:
        return None


class DateParser:
    """Parses one column's dates with a fixed order, remembering each distinct string (bank
    files repeat the same few hundred dates, so this makes 50,000 rows cheap)."""

    def __init__(self, order: DateOrder) -> None:
        self.order: DateOrder = order
        self._cache: dict[str, dt.date | None] = {}

    def parse(self, text: str) -> dt.date | None:
        try:
            return self._cache[text]
        except KeyError:
            pass
        shape = shape_of(text)
        value = to_date(shape, self.order) if shape else None
        self._cache[text] = value
        return value


def parse_date(text: str, order: DateOrder = "MDY") -> dt.date | None:
    shape = shape_of(text)
    return to_date(shape, order) if shape else None


def infer_date_order(values: Iterable[str], day_first_hint: bool = False) -> tuple[DateOrder, str]:
    """Decide how to read a column's ambiguous dates from all of its values.

    A first part above 12 anywhere means day-first, a second part above 12 means month-first.
    Without such evidence, the reading under which the dates run in order (as statements do)
    wins; failing that, the hint (decimal comma, European currency), then month-first.
    Returns the order and a sentence explaining it.
    """
    seen: set[str] = set()
    sequence: list[DateShape] = []
    day_first = month_first = 0
    example_df = example_mf = ""
    has_iso = False
    for value in values:
        if not value or value in seen:
            continue
        seen.add(value)
        shape = shape_of(value)
        if shape is None:
            continue
        if not shape.ambiguous:
            has_iso = True
            continue
        sequence.append(shape)
        if shape.a > 12:
            day_first += 1
            example_df = example_df or value
        elif shape.b > 12:
            month_first += 1
            example_mf = example_mf or value
    if not sequence:
        return "YMD", "dates are written year first or with month names" if has_iso else ""
    if day_first > month_first:
        return "DMY", f"read as day/month/year because of {example_df!r}"
    if month_first > day_first:
        return "MDY", f"read as month/day/year because of {example_mf!r}"
    if len(sequence) > 2:
        dmy, mdy = _orderliness(sequence, "DMY"), _orderliness(sequence, "MDY")
        if abs(dmy - mdy) >= 0.1:
            order: DateOrder = "DMY" if dmy > mdy else "MDY"
            return order, f"read as {_spell(order)} because the dates then run in order"
    if day_first_hint:
        return "DMY", "read as day/month/year (no day above 12; guessed from the number format)"
    return "MDY", "read as month/day/year (no day above 12 to tell; please check)"


def _spell(order: DateOrder) -> str:
    return {"DMY": "day/month/year", "MDY": "month/day/year", "YMD": "year/month/day"}[order]


def _orderliness(sequence: list[DateShape], order: DateOrder) -> float:
    """Share of consecutive distinct dates that step in the file's main direction."""
    dates = [to_date(s, order) for s in sequence[:2000]]
    valid = [d for d in dates if d is not None]
    if len(valid) < 2:
        return 0.0
    up = sum(1 for x, y in pairwise(valid) if y > x)
    down = sum(1 for x, y in pairwise(valid) if y < x)
    invalid_penalty = (len(dates) - len(valid)) / len(dates)
    return max(up, down) / (len(valid) - 1) - invalid_penalty
