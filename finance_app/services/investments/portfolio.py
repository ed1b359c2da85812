"""A household's portfolio from its trades and prices: positions on any day, values, holdings,
allocation, value over time and the cash flows the returns need. Pure over loaded rows.

A holding is valued at the latest close on or before the day; without any close, at the price
of its latest trade on or before the day (a buy is a price too), and its age says which.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.models.investment import BUY, DIVIDEND, REINVEST, SELL, SPLIT, TRANSFER_IN
from finance_app.money import CENT, STORAGE_QUANTUM, ZERO, quantize
from finance_app.services.investments.lots import LotBook, TradeEvent, build_lots, sort_key
from finance_app.services.investments.performance import Flow
from finance_app.services.investments.prices import PriceBook, Quote

HUNDRED = Decimal(100)
Position = tuple[object, str]  # (account, symbol)


class Portfolio:
    def __init__(self, events: Iterable[TradeEvent], prices: PriceBook) -> None:
        self.events = sorted(events, key=sort_key)
        self.prices = prices
        self.trade_prices = PriceBook(
            (e.symbol, e.day, e.price) for e in self.events
            if e.action in (BUY, SELL, REINVEST, TRANSFER_IN) and e.price > ZERO)
        self._days: dict[Position, list[date]] = {}
        self._held: dict[Position, list[Decimal]] = {}
        for event in self.events:
            key = (event.account, event.symbol)
            days, held = self._days.setdefault(key, []), self._held.setdefault(key, [])
            current = held[-1] if held else ZERO
            if event.action in (BUY, REINVEST, TRANSFER_IN):
                current += event.quantity
            elif event.action == SELL:
                current -= event.quantity
            elif event.action == SPLIT:
                current *= event.quantity
            if days and days[-1] == event.day:
                held[-1] = current
            else:
                days.append(event.day)
                held.append(current)

    @property
    def accounts(self) -> list[object]:
        return sorted({e.account for e in self.events}, key=str)

    @property
    def first_day(self) -> date | None:
        return self.events[0].day if self.events else None

    def positions(self, day: date, accounts: Sequence[object] | None = None
                  ) -> dict[Position, Decimal]:
        result = {}
        for key, days in self._days.items():
            if accounts is not None and key[0] not in accounts:
                continue
            index = bisect_right(days, day) - 1
            if index >= 0 and self._held[key][index] != ZERO:
                result[key] = self._held[key][index]
        return result

    def quote(self, symbol: str, day: date) -> Quote | None:
        return self.prices.quote(symbol, day) or self.trade_prices.quote(symbol, day)

    def value_on(self, day: date, accounts: Sequence[object] | None = None) -> Decimal:
        total = ZERO
        for (_, symbol), quantity in self.positions(day, accounts).items():
            found = self.quote(symbol, day)
            if found is not None:
                total += quantity * found.close
        return quantize(total, STORAGE_QUANTUM)

    def flows(self, accounts: Sequence[object] | None = None) -> list[Flow]:
        """Money into (+) and out of (-) the securities (see services/investments/performance)."""
        flows = []
        for e in self.events:
            if accounts is not None and e.account not in accounts:
                continue
            if e.action == BUY:
                flows.append(Flow(e.day, e.quantity * e.price + e.fees))
            elif e.action == TRANSFER_IN:
                close = self.prices.close(e.symbol, e.day)
                flows.append(Flow(e.day, e.quantity * (close if close is not None else e.price)))
            elif e.action == SELL or e.action == DIVIDEND:
                flows.append(Flow(e.day, -(e.quantity * e.price - e.fees)))
        return flows

    def lots(self, method: str = "fifo", methods: dict[object, str] | None = None) -> LotBook:
        return build_lots(self.events, method, methods)


# ---------------------------------------------------------------- holdings


@dataclass(frozen=True)
class Holding:
    symbol: str
    quantity: Decimal
    quote: Quote | None
    value: Decimal
    cost: Decimal
    weight: Decimal  # percent of the portfolio's value, 2 dp

    @property
    def unrealized(self) -> Decimal:
        return self.value - self.cost

    @property
    def unrealized_percent(self) -> Decimal | None:
        if self.cost <= ZERO:
            return None
        return quantize(self.unrealized * HUNDRED / self.cost, CENT)


def holdings(portfolio: Portfolio, book: LotBook, day: date,
             accounts: Sequence[object] | None = None) -> list[Holding]:
    """Each symbol held on `day` (summed over `accounts`), largest value first."""
    quantities: dict[str, Decimal] = {}
    for (_, symbol), quantity in portfolio.positions(day, accounts).items():
        quantities[symbol] = quantities.get(symbol, ZERO) + quantity
    costs: dict[str, Decimal] = {}
    for lot in book.open_lots():
        if accounts is None or lot.account in accounts:
            costs[lot.symbol] = costs.get(lot.symbol, ZERO) + lot.basis
    rows = []
    for symbol, quantity in quantities.items():
        found = portfolio.quote(symbol, day)
        value = quantize(quantity * found.close, CENT) if found else ZERO
        rows.append((symbol, quantity, found, value, quantize(costs.get(symbol, ZERO), CENT)))
    total = sum((r[3] for r in rows), ZERO)
    return sorted((Holding(s, q, f, v, c, quantize(v * HUNDRED / total, CENT) if total else ZERO)
                   for s, q, f, v, c in rows), key=lambda h: (-h.value, h.symbol))


@dataclass(frozen=True)
class Slice:
    label: str
    value: Decimal
    percent: Decimal


def allocation(rows: Iterable[tuple[str, Decimal]]) -> list[Slice]:
    """(label, value) pairs summed by label, largest first, with their percent."""
    sums: dict[str, Decimal] = {}
    for label, value in rows:
        sums[label] = sums.get(label, ZERO) + value
    total = sum(sums.values(), ZERO)
    return [Slice(label, value, quantize(value * HUNDRED / total, CENT) if total else ZERO)
            for label, value in sorted(sums.items(), key=lambda item: (-item[1], item[0]))]


def value_history(portfolio: Portfolio, days: Sequence[date],
                  accounts: Sequence[object] | None = None) -> list[tuple[date, Decimal]]:
    return [(day, quantize(portfolio.value_on(day, accounts), CENT)) for day in days]
