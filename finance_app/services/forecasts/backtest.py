"""Rolling-origin backtest of the monthly forecast against "same as last month" (naive) and the
three-month average: at each month from the second year on, every category is forecast from the
months before it only, and the absolute errors are averaged over every (month, category)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from finance_app.money import ZERO, quantize
from finance_app.services.forecasts.monthly import point_forecast
from finance_app.services.ledger.periods import MONTH, period_starts

FIRST_ORIGIN = 12  # a year of history before the first forecast
MIN_ACTIVE_MONTHS = 3  # a category seen fewer times than this is not forecast yet
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Backtest:
    mae: Decimal
    naive_mae: Decimal
    average3_mae: Decimal
    months: int  # forecast origins
    forecasts: int  # (month, category) pairs scored

    @property
    def gain_over_naive(self) -> Decimal:
        """How much smaller the model's error is than naive's, in percent."""
        return quantize((1 - self.mae / self.naive_mae) * 100, Decimal("0.1")) \
            if self.naive_mae else ZERO


def as_series(by_month: Mapping[K, Mapping[date, Decimal]], first: date, last: date
              ) -> tuple[list[date], dict[K, list[Decimal]]]:
    """Each key's months from `first` to `last` (month starts) as a list, zeros filled in."""
    months = period_starts(first, last, MONTH)
    return months, {key: [values.get(m, ZERO) for m in months]
                    for key, values in by_month.items()}


def is_active(history: Sequence[Decimal]) -> bool:
    return sum(1 for v in history if v) >= MIN_ACTIVE_MONTHS


def backtest(series: Mapping[Hashable, Sequence[Decimal]],
             first_origin: int = FIRST_ORIGIN) -> Backtest:
    length = max((len(s) for s in series.values()), default=0)
    model, naive, average3 = ZERO, ZERO, ZERO
    scored = 0
    for origin in range(first_origin, length):
        for values in series.values():
            history, actual = values[:origin], values[origin]
            if not is_active(history):
                continue
            model += abs(point_forecast(history)[0] - actual)
            naive += abs(history[-1] - actual)
            average3 += abs(sum(history[-3:], ZERO) / len(history[-3:]) - actual)
            scored += 1
    if not scored:
        return Backtest(ZERO, ZERO, ZERO, 0, 0)
    return Backtest(quantize(model / scored), quantize(naive / scored),
                    quantize(average3 / scored), max(0, length - first_origin), scored)
