"""Next month's spending of one category, from its past months.

The model, chosen on a rolling-origin backtest (benchmarks/forecast.py), is deliberately plain:

- the level is the median of the last six complete months. Under absolute error the median is
  the best single guess, and one trip or one annual bill does not drag it, where "same as last
  month" repeats every spike and a three-month mean spreads it over the next three;
- a seasonal term is added only where the seasons are real: when the same calendar month stood
  above (or below) its own six-month median in each of the last two or three years, by more
  than twice the category's usual month-to-month spread (the median absolute deviation of its
  last twelve months). Heating in January and gifts in December move the forecast; the noise of
  a category with no season never does (a free seasonal term made the backtest worse);
- the band is the 10th to 90th percentile of this model's own errors on the category's last
  twelve months, so a steady bill gets a narrow band and restaurants a wide one.

Amounts are Decimals, as every amount of the app; nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from finance_app.money import ZERO, quantize

LEVEL_MONTHS = 6
SEASON_YEARS = 3
SEASON_STRENGTH = 2  # deviations beyond this many MADs, every year, make a season
BAND_MONTHS = 12
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Estimate:
    amount: Decimal
    low: Decimal
    high: Decimal
    seasonal: Decimal = ZERO  # the seasonal term included in `amount` (0: no season)


def _median(values: Sequence[Decimal]) -> Decimal:
    return Decimal(median(values)) if values else ZERO


def seasonal_term(history: Sequence[Decimal], ahead: int = 1) -> Decimal:
    """How far the calendar month `ahead` months after `history` usually stands from its
    six-month median, when it does so consistently (same side, every year seen, beyond
    SEASON_STRENGTH x the spread); else 0."""
    target = len(history) + ahead - 1
    deviations = []
    for years in range(1, SEASON_YEARS + 1):
        same_month = target - 12 * years
        if same_month - LEVEL_MONTHS < 0:
            break
        deviations.append(history[same_month]
                          - _median(history[same_month - LEVEL_MONTHS:same_month]))
    if len(deviations) < 2:
        return ZERO
    recent = history[-BAND_MONTHS:]
    centre = _median(recent)
    spread = _median([abs(v - centre) for v in recent]) or Decimal(1)
    limit = SEASON_STRENGTH * spread
    if all(d > limit for d in deviations) or all(d < -limit for d in deviations):
        return _median(deviations)
    return ZERO


def point_forecast(history: Sequence[Decimal], ahead: int = 1,
                   signed: bool = False) -> tuple[Decimal, Decimal]:
    """(forecast, its seasonal part) for the month `ahead` months after `history` (complete
    months, oldest first, zeros included): 1 is the month right after it. Spending is never
    forecast below zero; a `signed` flow (money in and out of an account) may be."""
    if not history:
        return ZERO, ZERO
    level = _median(history[-LEVEL_MONTHS:])
    season = seasonal_term(history, ahead)
    return (level + season if signed else max(ZERO, level + season)), season


def _percentile(sorted_values: Sequence[Decimal], share: float) -> Decimal:
    if not sorted_values:
        return ZERO
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def past_errors(history: Sequence[Decimal], ahead: int = 1,
                signed: bool = False) -> list[Decimal]:
    """Actual minus forecast, for the model run on each of the last BAND_MONTHS months."""
    return [history[t] - point_forecast(history[:t - ahead + 1], ahead, signed)[0]
            for t in range(max(3 + ahead - 1, len(history) - BAND_MONTHS), len(history))]


def with_band(amount: Decimal, errors: Sequence[Decimal], season: Decimal = ZERO,
              signed: bool = False) -> Estimate:
    """`amount` with the 10th-90th percentile of `errors` around it, to the cent."""
    ordered = sorted(errors)
    floor = amount + _percentile(ordered, 0.1) if ordered else amount
    low = floor if signed else max(ZERO, floor)
    high = max(amount, amount + _percentile(ordered, 0.9)) if ordered else amount
    return Estimate(quantize(amount, CENT), quantize(min(low, amount), CENT),
                    quantize(high, CENT), quantize(season, CENT))


def estimate(history: Sequence[Decimal], ahead: int = 1, signed: bool = False) -> Estimate:
    """The forecast of the month `ahead` months after `history`, with its band."""
    amount, season = point_forecast(history, ahead, signed)
    return with_band(amount, past_errors(history, ahead, signed), season, signed)
