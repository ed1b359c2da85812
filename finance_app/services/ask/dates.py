"""Dates in a question: months, quarters, years, "last/this week/month/quarter/year", "year to
date", "since March", "in the last 90 days" and explicit ranges, read relative to `today`.

A bare month or quarter is the latest one that has begun ("October" in December 2026 is
October 2026; in September 2026 it is October 2025)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from finance_app.services.ledger.periods import (
    MONTH,
    WEEK,
    YEAR,
    DateRange,
    add_periods,
    period_end,
    period_start,
)

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirty": 30,
           "sixty": 60, "ninety": 90}
ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                    "3rd": 3, "4th": 4}
EARLIEST = date(1900, 1, 1)

_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<{0}>(?:19|20)\d{{2}})"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_ISO = r"(?P<{0}>\d{{4}}-\d{{2}}-\d{{2}})"


@dataclass(frozen=True)
class FoundRange:
    range: DateRange
    label: str
    span: tuple[int, int]  # where in the text it was read, so the words are not read again


def format_range(r: DateRange) -> str:
    """"1-31 Oct 2026", "1 Apr-30 Jun 2026", "1 Mar 2025-3 Dec 2026"."""
    s, e = r.start, r.end
    if s == EARLIEST:
        return f"all time to {e.day} {e:%b %Y}"
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}-{e.day} {e:%b %Y}"
    if s.year == e.year:
        return f"{s.day} {s:%b}-{e.day} {e:%b %Y}"
    return f"{s.day} {s:%b %Y}-{e.day} {e:%b %Y}"


def _month_range(year: int, month: int) -> DateRange:
    start = date(year, month, 1)
    return DateRange(start, period_end(start, MONTH))


def _latest_month(month: int, today: date) -> DateRange:
    year = today.year if month <= today.month else today.year - 1
    return _month_range(year, month)


def _quarter_range(year: int, quarter: int) -> DateRange:
    start = date(year, 3 * quarter - 2, 1)
    return DateRange(start, add_periods(start, MONTH, 3) - timedelta(days=1))


def _quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _day_of(m: re.Match[str], prefix: str, today: date, *, end: bool) -> date | None:
    """A date written as ISO, "3 March [2025]", "March 3[, 2025]" or "March [2025]" (its
    first or last day, by `end`)."""
    group = m.groupdict()
    if group.get(prefix + "iso"):
        try:
            return date.fromisoformat(group[prefix + "iso"])
        except ValueError:
            return None
    month_name = group.get(prefix + "m")
    if not month_name:
        return None
    month = MONTHS[month_name]
    year_text = group.get(prefix + "y")
    year = int(year_text) if year_text else (today.year if month <= today.month
                                             else today.year - 1)
    day_text = group.get(prefix + "d") or group.get(prefix + "d2")
    try:
        if day_text:
            return date(year, month, int(day_text))
        return period_end(date(year, month, 1), MONTH) if end else date(year, month, 1)
    except ValueError:
        return None


def _point(prefix: str) -> str:
    """One end of a range: ISO, "3 March 2025", "March 3, 2025", "March 2025", "March"."""
    p = prefix
    return (rf"(?:{_ISO.format(p + 'iso')}|(?:{_DAY.format(p + 'd')}\s+(?:of\s+)?)?"
            rf"{_MONTH.format(p + 'm')}(?:\s+{_DAY.format(p + 'd2')})?,?"
            rf"(?:\s+{_YEAR.format(p + 'y')})?)")


Reader = Callable[[re.Match[str], date], tuple[DateRange, str] | None]


def _explicit(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    start, end = _day_of(m, "a", today, end=False), _day_of(m, "b", today, end=True)
    if start is None or end is None:
        return None
    if not m.group("ay") and not m.group("aiso") and m.group("by") and start.year != end.year:
        start = start.replace(year=end.year)  # "March to June 2025": the year is June's
    if start > end:
        return None
    r = DateRange(start, end)
    return r, format_range(r)


def _relative(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    which, unit = m.group("which"), m.group("unit")
    offset = 0 if which in ("this", "current") else -1
    if unit == "quarter":
        q_start = date(today.year, 3 * _quarter_of(today) - 2, 1)
        start = add_periods(q_start, MONTH, 3 * offset)
        r = DateRange(start, add_periods(start, MONTH, 3) - timedelta(days=1))
    else:
        granularity = {"week": WEEK, "month": MONTH, "year": YEAR}[unit]
        start = add_periods(period_start(today, granularity), granularity, offset)
        r = DateRange(start, period_end(start, granularity))
    return r, format_range(r)


def _last_n(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    n = _number(m.group("n"))
    if not n or n > 36_600:
        return None
    unit = m.group("unit")
    if unit.startswith("day"):
        start = today - timedelta(days=n - 1)
    elif unit.startswith("week"):
        start = today - timedelta(weeks=n) + timedelta(days=1)
    elif unit.startswith("month"):
        start = add_periods(today.replace(day=1), MONTH, -n) + timedelta(days=today.day)
        start = min(start, today)
    else:
        start = date(today.year - n, today.month, 1) + timedelta(days=today.day)
    r = DateRange(start, today)
    return r, format_range(r)


def _since(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    start = _day_of(m, "a", today, end=False)
    if start is None or start > today:
        return None
    r = DateRange(start, today)
    return r, format_range(r)


def _year_to_date(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    r = DateRange(date(today.year, 1, 1), today)
    return r, format_range(r)


def _quarter(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    quarter = int(m.group("q")) if m.group("q") else ORDINAL_QUARTERS[m.group("ord")]
    if not 1 <= quarter <= 4:
        return None
    year_text = m.group("y")
    if year_text:
        year = int(year_text)
    else:
        year = today.year if quarter <= _quarter_of(today) else today.year - 1
    r = _quarter_range(year, quarter)
    return r, format_range(r)


def _month(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    month = MONTHS[m.group("m")]
    r = _month_range(int(m.group("y")), month) if m.group("y") else _latest_month(month, today)
    return r, format_range(r)


def _year(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    year = int(m.group("y"))
    r = DateRange(date(year, 1, 1), date(year, 12, 31))
    return r, format_range(r)


def _day(m: re.Match[str], today: date) -> tuple[DateRange, str] | None:
    day = today if m.group(0) == "today" else today - timedelta(days=1)
    r = DateRange(day, day)
    return r, format_range(r)


_B = r"(?<![\w-])"
_E = r"(?![\w-])"
# Tried in this order: the longer, more specific forms first.
PATTERNS: tuple[tuple[re.Pattern[str], Reader], ...] = tuple(
    (re.compile(_B + pattern + _E), reader) for pattern, reader in (
        (rf"(?:from|between)\s+{_point('a')}\s+(?:to|and|until|till|through|-)\s+{_point('b')}",
         _explicit),
        (rf"{_point('a')}\s*(?:-|–|to|until|through)\s*{_point('b')}", _explicit),
        (r"(?:year\s+to\s+date|ytd|so\s+far\s+this\s+year)", _year_to_date),
        (r"(?:in\s+|over\s+|during\s+)?(?:the\s+)?(?:last|past|previous)\s+(?P<n>\d+|"
         + "|".join(NUMBERS) + r")\s+(?P<unit>days?|weeks?|months?|years?)", _last_n),
        (r"(?:in\s+|during\s+|for\s+)?(?:the\s+)?(?P<which>last|this|previous|current|past)\s+"
         r"(?P<unit>week|month|quarter|year)", _relative),
        (rf"since\s+{_point('a')}", _since),
        (r"(?:in\s+|during\s+|for\s+)?(?:the\s+)?(?:q(?P<q>[1-4])|(?P<ord>first|second|third|"
         r"fourth|1st|2nd|3rd|4th)\s+quarter)(?:\s+(?:of\s+)?" + _YEAR.format("y") + ")?",
         _quarter),
        (r"(?:in\s+|during\s+|for\s+)?" + _MONTH.format("m") + r"(?:\s+(?:of\s+)?"
         + _YEAR.format("y") + ")?", _month),
        (r"(?:in\s+|during\s+|for\s+)?" + _YEAR.format("y"), _year),
        (r"today|yesterday", _day),
    )
)


def find_ranges(text: str, today: date) -> list[FoundRange]:
    """Every date range in `text` (lower case), left to right, none overlapping another."""
    found: list[FoundRange] = []
    taken: list[tuple[int, int]] = []
    for pattern, reader in PATTERNS:
        for m in pattern.finditer(text):
            span = m.span()
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            read = reader(m, today)
            if read is None:
                continue
            taken.append(span)
            found.append(FoundRange(read[0], read[1], span))
    return sorted(found, key=lambda f: f.span)


def all_time(today: date) -> FoundRange:
    """No dates in the question: everything up to today."""
    r = DateRange(EARLIEST, today)
    return FoundRange(r, format_range(r), (0, 0))
