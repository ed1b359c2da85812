"""Price history as the valuations read it: the latest close on or before a day, and its age.

Pure: a `PriceBook` is built from (symbol, day, close) rows loaded once.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Quote:
    symbol: str
    day: date  # the day of the close used
    close: Decimal

    def age_on(self, day: date) -> int:
        """Days between the close used and the day valued (0: that day's own close)."""
        return (day - self.day).days


class PriceBook:
    def __init__(self, rows: Iterable[tuple[str, date, Decimal]]) -> None:
        series: dict[str, list[tuple[date, Decimal]]] = {}
        for symbol, day, close in rows:
            series.setdefault(symbol, []).append((day, close))
        self._days: dict[str, list[date]] = {}
        self._closes: dict[str, list[Decimal]] = {}
        for symbol, points in series.items():
            points.sort()
            self._days[symbol] = [d for d, _ in points]
            self._closes[symbol] = [c for _, c in points]

    @property
    def symbols(self) -> list[str]:
        return sorted(self._days)

    def quote(self, symbol: str, day: date) -> Quote | None:
        """The latest close of `symbol` on or before `day`; None when there is none."""
        days = self._days.get(symbol)
        if not days:
            return None
        index = bisect_right(days, day) - 1
        if index < 0:
            return None
        return Quote(symbol, days[index], self._closes[symbol][index])

    def close(self, symbol: str, day: date) -> Decimal | None:
        found = self.quote(symbol, day)
        return found.close if found else None

    def first_day(self, symbol: str) -> date | None:
        days = self._days.get(symbol)
        return days[0] if days else None
