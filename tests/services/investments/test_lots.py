"""The lot engine against hand-computed cases (services/investments/lots.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.services.investments.lots import (
    LotError,
    Oversold,
    TradeEvent,
    build_lots,
    gain_totals,
    is_long_term,
    quantity_held,
)

D = Decimal
counter = iter(range(1, 10_000))


def trade(day: str, action: str, quantity: str, price: str = "0", fees: str = "0",
          symbol: str = "AAA", chosen=()) -> TradeEvent:
    return TradeEvent(next(counter), date.fromisoformat(day), symbol, action, D(quantity),
                      D(price), D(fees), "acct", tuple(chosen))


def three_buys_and_a_sale() -> list[TradeEvent]:
    return [
        trade("2023-01-10", "buy", "10", "100"),  # 1000
        trade("2023-03-10", "buy", "10", "120"),  # 1200
        trade("2023-06-10", "buy", "10", "90"),  # 900
        trade("2024-02-10", "sell", "15", "130"),  # proceeds 1950
    ]


@pytest.mark.parametrize(("method", "cost", "short", "long"), [
    # FIFO: 10 @ 100 (long, +300) and 5 @ 120 (short, +50)
    ("fifo", "1600.00", "50.00", "300.00"),
    # LIFO: 10 @ 90 and 5 @ 120, both under a year: +450 short
    ("lifo", "1500.00", "450.00", "0.00"),
    # HIFO: 10 @ 120 (short, +100) and 5 @ 100 (long, +150)
    ("hifo", "1700.00", "100.00", "150.00"),
    # Average: 15 x 3100/30 = 1550; terms FIFO: 10 long (1300 - 1033.3333), 5 short
    ("average", "1550.00", "133.33", "266.67"),
])
def test_the_four_methods_on_the_same_trades(method, cost, short, long):
    book = build_lots(three_buys_and_a_sale(), method)
    totals = gain_totals(book.disposals)
    assert totals.proceeds == D("1950")
    assert totals.cost.quantize(D("0.01")) == D(cost)
    assert totals.short_term.quantize(D("0.01")) == D(short)
    assert totals.long_term.quantize(D("0.01")) == D(long)
    assert totals.realized == totals.short_term + totals.long_term
    assert quantity_held(book, "AAA") == D("15")


def test_average_cost_leaves_the_remaining_shares_at_the_average():
    book = build_lots(three_buys_and_a_sale(), "average")
    assert sum(lot.basis for lot in book.open_lots()).quantize(D("0.01")) == D("1550.00")


def test_specific_lots_close_the_chosen_lots():
    events = three_buys_and_a_sale()
    third = events[2].ref
    events[3] = trade("2024-02-10", "sell", "15", "130", chosen=[(third, D("10")),
                                                                  (events[0].ref, D("5"))])
    book = build_lots(events, "specific")
    assert [(d.lot_ref, d.quantity, d.cost) for d in book.disposals] == [
        (third, D("10"), D("900")), (events[0].ref, D("5"), D("500"))]
    with pytest.raises(LotError):
        build_lots([*events[:3], trade("2024-02-10", "sell", "15", "130",
                                       chosen=[(third, D("10"))])], "specific")


def test_a_split_between_buys_and_a_sale_keeps_the_basis():
    book = build_lots([
        trade("2022-01-03", "buy", "10", "400", "5"),  # basis 4005
        trade("2022-06-01", "split", "4"),  # 40 shares, still 4005
        trade("2022-07-01", "buy", "20", "110", "5"),  # basis 2205
        trade("2023-08-01", "sell", "50", "120", "10"),  # proceeds 5990
    ])
    first, second = book.disposals
    assert (first.quantity, first.cost, first.proceeds) == (D("40"), D("4005"), D("4792"))
    assert (second.quantity, second.cost, second.proceeds) == (D("10"), D("1102.5"), D("1198"))
    totals = gain_totals(book.disposals)
    assert totals.realized == D("882.50") and totals.long_term == D("882.50")
    [left] = book.open_lots()
    assert (left.quantity, left.basis) == (D("10"), D("1102.5"))


def test_reinvested_dividends_open_lots_and_count_as_dividends():
    book = build_lots([
        trade("2023-01-05", "buy", "100", "50"),
        trade("2023-06-30", "reinvest", "2", "55"),  # a 110.00 dividend buying 2 shares
        trade("2023-12-29", "dividend", "100", "0.60"),  # 60.00 in cash
        trade("2024-03-01", "sell", "102", "60"),
    ])
    assert [(d.amount, d.reinvested) for d in book.dividends] == [(D("110"), True),
                                                                 (D("60"), False)]
    long_piece, short_piece = book.disposals
    assert (long_piece.gain, long_piece.is_long_term) == (D("1000"), True)
    assert (short_piece.gain, short_piece.is_long_term) == (D("10"), False)


@pytest.mark.parametrize(("rebuy_day", "rebuy_quantity", "disallowed"), [
    ("2024-03-15", "10", "100"),  # the whole loss
    ("2024-03-31", "4", "40"),  # 30 days after, 4 of 10 shares replaced
    ("2024-01-31", "10", "100"),  # 30 days before, still held
    ("2024-04-01", "10", "0"),  # 31 days after: no wash sale
])
def test_a_loss_with_a_buy_within_30_days_is_a_wash_sale(rebuy_day, rebuy_quantity,
                                                         disallowed):
    book = build_lots([
        trade("2023-12-01", "buy", "10", "50"),
        trade(rebuy_day, "buy", rebuy_quantity, "42"),
        trade("2024-03-01", "sell", "10", "40"),  # FIFO: the December lot, a 100.00 loss
    ])
    [sale] = book.disposals
    assert sale.gain == D("-100")
    assert sale.wash_disallowed == D(disallowed)
    assert sale.is_wash_sale is (disallowed != "0")


def test_a_gain_is_never_a_wash_sale():
    book = build_lots([trade("2024-01-02", "buy", "10", "50"),
                       trade("2024-03-01", "sell", "10", "60"),
                       trade("2024-03-05", "buy", "10", "61")])
    assert book.disposals[0].wash_disallowed == 0


def test_a_partial_sale_across_three_lots():
    book = build_lots([
        trade("2024-01-01", "buy", "5", "10", "1"),  # 51
        trade("2024-02-01", "buy", "5", "12"),  # 60
        trade("2024-03-01", "buy", "5", "14", "1"),  # 71
        trade("2024-04-01", "sell", "12", "15", "3"),  # proceeds 177
    ])
    assert [(d.quantity, d.cost, d.proceeds) for d in book.disposals] == [
        (D("5"), D("51"), D("73.75")), (D("5"), D("60"), D("73.75")),
        (D("2"), D("28.4"), D("29.5"))]
    totals = gain_totals(book.disposals)
    assert (totals.proceeds, totals.cost, totals.realized) == (D("177"), D("139.4"), D("37.6"))
    [left] = book.open_lots()
    assert (left.quantity, left.basis) == (D("3"), D("42.6"))


@pytest.mark.parametrize(("bought", "sold", "long"), [
    ("2023-05-15", "2024-05-15", False),  # the anniversary day is still short term
    ("2023-05-15", "2024-05-16", True),
    ("2024-02-29", "2025-02-28", False),
    ("2024-02-29", "2025-03-01", True),
])
def test_long_term_starts_the_day_after_the_anniversary(bought, sold, long):
    assert is_long_term(date.fromisoformat(bought), date.fromisoformat(sold)) is long
    book = build_lots([trade(bought, "buy", "1", "10"), trade(sold, "sell", "1", "12")])
    assert book.disposals[0].is_long_term is long


def test_selling_more_than_is_held_is_refused_naming_the_trade():
    sale = trade("2024-02-01", "sell", "6", "10")
    with pytest.raises(Oversold) as refused:
        build_lots([trade("2024-01-01", "buy", "5", "10"), sale])
    assert refused.value.ref == sale.ref
    assert "only 5 are held" in str(refused.value)


def test_a_transfer_in_keeps_its_original_day_and_cost():
    book = build_lots([trade("2019-04-01", "transfer_in", "10", "20"),
                       trade("2024-04-01", "sell", "10", "50")])
    [sale] = book.disposals
    assert (sale.acquired, sale.cost, sale.is_long_term) == (date(2019, 4, 1), D("200"), True)


def test_each_account_keeps_its_own_lots():
    events = [TradeEvent(1, date(2024, 1, 1), "AAA", "buy", D("5"), D("10"), account="a"),
              TradeEvent(2, date(2024, 1, 2), "AAA", "sell", D("5"), D("10"), account="b")]
    with pytest.raises(Oversold):
        build_lots(events)
