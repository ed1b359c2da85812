"""The lot engine: trades in, open lots, realized gains and dividends out. Pure and Decimal.

Rules (the US ones):
- Each buy, reinvested dividend and transfer in opens a lot: quantity, its day (a transfer's
  original day), basis = quantity x price + fees (buy fees go into the basis).
- A sell closes shares of open lots by the method: FIFO (oldest first), LIFO (newest first),
  HIFO (highest cost per share first), average (every open lot's basis is first set to the
  pool's average cost per share, then lots close oldest first, so terms follow FIFO), or
  specific (the lots chosen on the sale; FIFO for a sale with none chosen). Proceeds =
  quantity x price - fees (sell fees come off the proceeds), shared among the closed pieces
  by quantity, the last piece taking the rounding remainder so the pieces add up exactly.
- A split of ratio r multiplies every open lot's quantity by r; its basis stays, so the basis
  per share is divided by r.
- Long term: sold more than one year after the lot's day; on the anniversary day itself it is
  still short term.
- Wash sale: a piece sold at a loss while shares of the same symbol were bought (buy or
  reinvest) within 30 days before or after the sale, other than the shares this sale closed.
  The disallowed part of the loss is the loss x (replacement shares / shares sold at a loss),
  at most the whole loss; each replacement share is matched to one sale only, earliest first.
  The disallowed loss is flagged and reported (Form 8949 code W); the replacement lot's basis
  is not adjusted here.
- Selling more than is held is refused (`Oversold`), naming the trade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from finance_app.models.investment import (
    AVERAGE,
    BUY,
    DIVIDEND,
    FIFO,
    HIFO,
    LIFO,
    REINVEST,
    SELL,
    SPECIFIC,
    SPLIT,
    TRANSFER_IN,
)
from finance_app.money import STORAGE_QUANTUM, ZERO, quantize

WASH_WINDOW = timedelta(days=30)
OPENING_ACTIONS = (BUY, REINVEST, TRANSFER_IN)
# Same-day order: what comes in before what goes out, so a same-day buy can be sold.
ACTION_ORDER = {TRANSFER_IN: 0, BUY: 1, REINVEST: 2, DIVIDEND: 3, SPLIT: 4, SELL: 5}


class LotError(ValueError):
    """The trades cannot be applied."""

    def __init__(self, message: str, ref: object = None) -> None:
        super().__init__(message)
        self.ref = ref


class Oversold(LotError):
    """A sale of more shares than are held."""


@dataclass(frozen=True)
class TradeEvent:
    """One trade as the engine sees it. `ref` identifies it (a trade id, a row number)."""

    ref: object
    day: date
    symbol: str
    action: str
    quantity: Decimal
    price: Decimal = ZERO
    fees: Decimal = ZERO
    account: object = None
    # Specific lots for a sale: (ref of the lot's opening trade, quantity).
    chosen: tuple[tuple[object, Decimal], ...] = ()


@dataclass
class Lot:
    ref: object  # the opening trade's ref
    symbol: str
    account: object
    day: date
    quantity: Decimal
    basis: Decimal

    @property
    def per_share(self) -> Decimal:
        return self.basis / self.quantity if self.quantity else ZERO


@dataclass(frozen=True)
class Disposal:
    """Shares of one lot closed by one sale."""

    sale_ref: object
    lot_ref: object
    symbol: str
    account: object
    acquired: date
    sold: date
    quantity: Decimal
    proceeds: Decimal
    cost: Decimal
    wash_disallowed: Decimal = ZERO

    @property
    def gain(self) -> Decimal:
        return self.proceeds - self.cost

    @property
    def is_long_term(self) -> bool:
        return is_long_term(self.acquired, self.sold)

    @property
    def is_wash_sale(self) -> bool:
        return self.wash_disallowed > ZERO


@dataclass(frozen=True)
class Dividend:
    ref: object
    symbol: str
    account: object
    day: date
    amount: Decimal
    reinvested: bool


@dataclass
class LotBook:
    """What the trades leave: open lots by (account, symbol), closed pieces and dividends."""

    open: dict[tuple[object, str], list[Lot]] = field(default_factory=dict)
    disposals: list[Disposal] = field(default_factory=list)
    dividends: list[Dividend] = field(default_factory=list)

    def open_lots(self) -> list[Lot]:
        return [lot for lots in self.open.values() for lot in lots]


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: its anniversary is 28 February
        return day.replace(year=day.year + 1, day=28)


def is_long_term(acquired: date, sold: date) -> bool:
    """Held more than one year: sold after the anniversary of the day it was acquired."""
    return sold > one_year_after(acquired)


def sort_key(event: TradeEvent) -> tuple[date, int]:
    return event.day, ACTION_ORDER.get(event.action, 9)


def _order(lots: list[Lot], method: str) -> list[Lot]:
    if method == LIFO:
        return sorted(lots, key=lambda lot: lot.day, reverse=True)
    if method == HIFO:
        return sorted(lots, key=lambda lot: (-lot.per_share, lot.day))
    return sorted(lots, key=lambda lot: lot.day)  # FIFO, average and specific leftovers


def _take(lots: list[Lot], event: TradeEvent, method: str) -> list[tuple[Lot, Decimal]]:
    """(lot, quantity) pieces the sale closes, in order; the lots are not changed yet."""
    held = sum((lot.quantity for lot in lots), ZERO)
    if event.quantity > held:
        raise Oversold(f"sells {event.quantity.normalize():f} {event.symbol} but only "
                       f"{held.normalize():f} are held", event.ref)
    if method == AVERAGE and lots:
        average = sum((lot.basis for lot in lots), ZERO) / held
        for lot in lots:
            lot.basis = lot.quantity * average
    if method == SPECIFIC and event.chosen:
        by_ref = {lot.ref: lot for lot in lots}
        pieces = []
        for ref, quantity in event.chosen:
            chosen = by_ref.get(ref)
            if chosen is None or quantity > chosen.quantity or quantity <= ZERO:
                raise LotError(f"the chosen lot {ref} does not hold {quantity:f} shares",
                               event.ref)
            pieces.append((chosen, quantity))
        if sum((q for _, q in pieces), ZERO) != event.quantity:
            raise LotError("the chosen lots do not add up to the shares sold", event.ref)
        return pieces
    pieces, left = [], event.quantity
    for lot in _order(lots, method):
        if left <= ZERO:
            break
        quantity = min(left, lot.quantity)
        pieces.append((lot, quantity))
        left -= quantity
    return pieces


def _sell(book: LotBook, event: TradeEvent, method: str) -> list[Disposal]:
    key = (event.account, event.symbol)
    lots = book.open.get(key, [])
    pieces = _take(lots, event, method)
    proceeds_total = event.quantity * event.price - event.fees
    disposals, shared = [], ZERO
    for index, (lot, quantity) in enumerate(pieces):
        if index == len(pieces) - 1:
            proceeds = quantize(proceeds_total, STORAGE_QUANTUM) - shared
        else:
            proceeds = quantize(proceeds_total * quantity / event.quantity, STORAGE_QUANTUM)
            shared += proceeds
        if quantity == lot.quantity:
            cost = lot.basis
        else:
            cost = quantize(lot.basis * quantity / lot.quantity, STORAGE_QUANTUM)
        lot.quantity -= quantity
        lot.basis -= cost
        disposals.append(Disposal(event.ref, lot.ref, event.symbol, event.account, lot.day,
                                  event.day, quantity, proceeds, quantize(cost, STORAGE_QUANTUM)))
    book.open[key] = [lot for lot in lots if lot.quantity > ZERO]
    return disposals


def build_lots(events: Iterable[TradeEvent], method: str = FIFO,
               methods: dict[object, str] | None = None) -> LotBook:
    """Apply the trades in date order (each account by its own method in `methods`)."""
    book = LotBook()
    ordered = sorted(events, key=sort_key)
    for event in ordered:
        key = (event.account, event.symbol)
        account_method = (methods or {}).get(event.account, method)
        if event.action in OPENING_ACTIONS:
            if event.quantity <= ZERO:
                raise LotError("a buy needs a quantity above zero", event.ref)
            basis = quantize(event.quantity * event.price + event.fees, STORAGE_QUANTUM)
            book.open.setdefault(key, []).append(
                Lot(event.ref, event.symbol, event.account, event.day, event.quantity, basis))
            if event.action == REINVEST:
                book.dividends.append(Dividend(event.ref, event.symbol, event.account, event.day,
                                               quantize(event.quantity * event.price,
                                                        STORAGE_QUANTUM), True))
        elif event.action == SELL:
            book.disposals.extend(_sell(book, event, account_method))
        elif event.action == SPLIT:
            if event.quantity <= ZERO:
                raise LotError("a split needs a ratio above zero", event.ref)
            for lot in book.open.get(key, []):
                lot.quantity *= event.quantity
        elif event.action == DIVIDEND:
            amount = quantize(event.quantity * event.price - event.fees, STORAGE_QUANTUM)
            book.dividends.append(Dividend(event.ref, event.symbol, event.account, event.day,
                                           amount, False))
        else:
            raise LotError(f"unknown action {event.action!r}", event.ref)
    book.disposals = flag_wash_sales(book.disposals, ordered)
    return book


def flag_wash_sales(disposals: Sequence[Disposal],
                    events: Sequence[TradeEvent]) -> list[Disposal]:
    """The disposals with the disallowed loss of wash sales set (see the module's rules)."""
    buys: dict[str, list[list]] = defaultdict(list)  # symbol -> [[day, ref, unmatched qty]]
    for event in events:
        if event.action in (BUY, REINVEST):
            buys[event.symbol].append([event.day, event.ref, event.quantity])
    by_sale: dict[object, list[int]] = defaultdict(list)
    for index, disposal in enumerate(disposals):
        if disposal.gain < ZERO:
            by_sale[disposal.sale_ref].append(index)
    result = list(disposals)
    for indexes in by_sale.values():
        losses = [disposals[i] for i in indexes]
        sold_day, symbol = losses[0].sold, losses[0].symbol
        closed = {d.lot_ref for d in disposals if d.sale_ref == losses[0].sale_ref}
        loss_quantity = sum((d.quantity for d in losses), ZERO)
        wanted, matched = loss_quantity, ZERO
        for buy in buys.get(symbol, []):
            if wanted <= ZERO:
                break
            if buy[1] in closed or abs((buy[0] - sold_day).days) > WASH_WINDOW.days:
                continue
            used = min(wanted, buy[2])
            buy[2] -= used
            wanted -= used
            matched += used
        if matched <= ZERO:
            continue
        share = matched / loss_quantity
        for i in indexes:
            result[i] = replace(disposals[i], wash_disallowed=quantize(
                -disposals[i].gain * share, STORAGE_QUANTUM))
    return result


# ---------------------------------------------------------------- summaries


@dataclass(frozen=True)
class GainTotals:
    proceeds: Decimal
    cost: Decimal
    short_term: Decimal
    long_term: Decimal
    wash_disallowed: Decimal

    @property
    def realized(self) -> Decimal:
        return self.proceeds - self.cost


def gain_totals(disposals: Iterable[Disposal]) -> GainTotals:
    proceeds = cost = short = long = wash = ZERO
    for d in disposals:
        proceeds += d.proceeds
        cost += d.cost
        wash += d.wash_disallowed
        if d.is_long_term:
            long += d.gain
        else:
            short += d.gain
    return GainTotals(proceeds, cost, short, long, wash)


def disposals_in_year(book: LotBook, year: int) -> list[Disposal]:
    return sorted((d for d in book.disposals if d.sold.year == year),
                  key=lambda d: (d.sold, d.symbol, d.acquired))


def quantity_held(book: LotBook, symbol: str, account: object = None) -> Decimal:
    return sum((lot.quantity for (acct, sym), lots in book.open.items()
                if sym == symbol and (account is None or acct == account) for lot in lots), ZERO)
