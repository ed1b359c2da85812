"""Returns of a portfolio: time-weighted (TWR) and money-weighted (XIRR). Pure and Decimal.

The portfolio is the securities held (cash beside them is the ledger's). Money going in is a
flow into it: a buy (quantity x price + fees) or a transfer in (quantity x the day's close, or
its cost without a price); money coming out is a flow out of it: a sale's proceeds and a cash
dividend. A reinvested dividend is return, not a flow: the dividend stays invested.

TWR chains each stretch between flows: flows land at the start of their day, so a day with a
flow contributes value(day) / (value(day before) + flow) and the return does not depend on how
much money was put in when. XIRR is the rate r at which the flows, the start value (as money put
in) and the end value (as money taken out) discount to zero: sum c_i / (1 + r)^(days_i / 365).
It is found by Newton's method with a bisection fallback, in Decimal.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

from finance_app.money import ZERO

ONE = Decimal(1)
YEAR_DAYS = Decimal(365)


@dataclass(frozen=True)
class Flow:
    day: date
    amount: Decimal  # into the portfolio: positive; out of it: negative


def net_flows(flows: Iterable[Flow]) -> list[Flow]:
    """One flow per day, in day order."""
    by_day: dict[date, Decimal] = {}
    for flow in flows:
        by_day[flow.day] = by_day.get(flow.day, ZERO) + flow.amount
    return [Flow(day, amount) for day, amount in sorted(by_day.items())]


def time_weighted_return(start: date, end: date, value_on: Callable[[date], Decimal],
                         flows: Sequence[Flow]) -> Decimal | None:
    """TWR over (start, end]: `value_on(day)` is the value at the end of the day, after that
    day's flows. None when nothing was invested in the period."""
    growth, previous, invested = ONE, value_on(start), False
    for flow in net_flows(f for f in flows if start < f.day <= end):
        before = value_on(flow.day - timedelta(days=1))  # the stretch up to the flow
        if previous > ZERO:
            growth *= before / previous
            invested = True
        base = before + flow.amount
        current = value_on(flow.day)
        if base > ZERO:
            growth *= current / base
            invested = True
        previous = current
    end_value = value_on(end)
    if previous > ZERO:
        growth *= end_value / previous
        invested = True
    return growth - ONE if invested else None


def _npv(rate: Decimal, flows: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:
    """NPV and its derivative at `rate` of (years from the first flow, amount) pairs."""
    base = ONE + rate
    log = base.ln()
    value = slope = ZERO
    for years, amount in flows:
        discount = (-years * log).exp()
        value += amount * discount
        slope -= years * amount * discount / base
    return value, slope


def xirr(cash_flows: Sequence[Flow]) -> Decimal | None:
    """The annual rate that makes the investor's cash flows (money paid in negative, money
    received positive) worth zero; None without both signs or without a root."""
    flows = net_flows(cash_flows)
    if not any(f.amount > 0 for f in flows) or not any(f.amount < 0 for f in flows):
        return None
    first = flows[0].day
    with localcontext() as ctx:
        ctx.prec = 28
        timed = [(Decimal((f.day - first).days) / YEAR_DAYS, f.amount) for f in flows]
        scale = max(abs(a) for _, a in timed)
        tolerance = scale * Decimal("1e-12")
        rate = Decimal("0.1")
        for _ in range(50):
            value, slope = _npv(rate, timed)
            if abs(value) <= tolerance:
                return rate
            if slope == 0:
                break
            step = rate - value / slope
            if step <= Decimal("-0.999999"):
                break
            if abs(step - rate) < Decimal("1e-14"):
                return step
            rate = step
        return _bisect(timed, tolerance)


def _bisect(timed: Sequence[tuple[Decimal, Decimal]], tolerance: Decimal) -> Decimal | None:
    low, high = Decimal("-0.9999"), Decimal("100")
    low_value = _npv(low, timed)[0]
    if low_value * _npv(high, timed)[0] > 0:
        return None
    for _ in range(200):
        middle = (low + high) / 2
        value = _npv(middle, timed)[0]
        if abs(value) <= tolerance or high - low < Decimal("1e-12"):
            return middle
        if (value > 0) == (low_value > 0):
            low, low_value = middle, value
        else:
            high = middle
    return (low + high) / 2


def money_weighted_return(start: date, end: date, value_on: Callable[[date], Decimal],
                          flows: Sequence[Flow]) -> Decimal | None:
    """XIRR over (start, end]: the start value as money put in, the flows, the end value as
    money taken out."""
    investor = [Flow(start, -value_on(start))]
    investor += [Flow(f.day, -f.amount) for f in flows if start < f.day <= end]
    investor.append(Flow(end, value_on(end)))
    return xirr(investor)


def mirrored_value(start: date, start_value: Decimal, flows: Sequence[Flow],
                   close_on: Callable[[date], Decimal | None]
                   ) -> Callable[[date], Decimal] | None:
    """The value over time of the same money put into one benchmark instead: the start value
    bought at its close on `start`, each later flow bought (or sold) at its close that day.
    None when a day needed has no close."""
    first = close_on(start)
    if not first and start_value:
        return None
    # Nothing held at the start (a period from before the first trade): no close needed.
    days, held = [start], [start_value / first if first else ZERO]
    for flow in net_flows(f for f in flows if f.day > start):
        close = close_on(flow.day)
        if not close:
            return None
        days.append(flow.day)
        held.append(held[-1] + flow.amount / close)

    def value_on(day: date) -> Decimal:
        index = bisect_right(days, day) - 1
        close = close_on(day)
        return held[index] * close if index >= 0 and close else ZERO

    return value_on


# ---------------------------------------------------------------- periods

PERIODS = ("1M", "3M", "YTD", "1Y", "3Y", "ALL")
PERIOD_LABELS = {"1M": "1 month", "3M": "3 months", "YTD": "Year to date", "1Y": "1 year",
                 "3Y": "3 years", "ALL": "All time"}


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def period_start(period: str, end: date, first: date) -> date:
    """The day a period's return is measured from (its value at the end of that day); never
    before the day before the first trade (`first`)."""
    starts = {"1M": months_before(end, 1), "3M": months_before(end, 3),
              "YTD": date(end.year - 1, 12, 31), "1Y": months_before(end, 12),
              "3Y": months_before(end, 36)}
    floor = date.fromordinal(first.toordinal() - 1)
    return max(starts.get(period, floor), floor)
