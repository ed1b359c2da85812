"""The demo's small brokerage account: three years of monthly buys of VTI and BND, a few
shares of AAPL with a 4-for-1 split, reinvested and cash dividends, a sale at a gain and one at a
loss while buying more (a wash sale), and month-end prices. Dated from today, so every
period of the pages has figures. Running it again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.investment import SOURCE_HAND
from finance_app.models.user import User
from finance_app.services.accounts import AccountInput, create_account
from finance_app.services.households.membership import member_scope
from finance_app.services.investments import records
from finance_app.services.investments.performance import months_before
from finance_app.services.investments.records import PriceInput, TradeInput

ACCOUNT = "Demo Brokerage"
MONTHS = 36
NAMES = {"VTI": ("Vanguard Total Stock Market ETF", "etf"),
         "BND": ("Vanguard Total Bond Market ETF", "etf"),
         "AAPL": ("Apple Inc.", "stock")}
CENT = Decimal("0.01")


def _price(symbol: str, month: int) -> Decimal:
    """A made-up but steady path: VTI up ~9 % a year with a dip, BND flat-ish, AAPL rising
    (and divided by 4 after the split in month 18)."""
    wiggle = Decimal((month * 7) % 5 - 2) / 100
    if symbol == "VTI":
        value = Decimal(200) * (Decimal("1.0075") ** month) * (1 + wiggle)
        if 20 <= month <= 22:
            value *= Decimal("0.75")  # a dip: the loss sold while the monthly buys go on
    elif symbol == "BND":
        value = Decimal(72) + Decimal(month % 6) / 4 - Decimal(month) / 20
    else:
        value = Decimal(400) * (Decimal("1.012") ** month) * (1 + wiggle)
        if month >= 18:
            value /= 4
    return value.quantize(CENT)


def _trades(start: date) -> list[TradeInput]:
    def day(month: int, offset: int = 0) -> date:
        return months_before(start, -month) + timedelta(days=offset)

    trades = []
    for month in range(MONTHS):
        trades.append(TradeInput(day(month), "VTI", "buy", Decimal(2), _price("VTI", month),
                                 Decimal("1.00"), external_id=f"demo-vti-{month}"))
        if month % 3 == 0:
            trades.append(TradeInput(day(month), "BND", "buy", Decimal(5), _price("BND", month),
                                     external_id=f"demo-bnd-{month}"))
            trades.append(TradeInput(day(month, 20), "VTI", "reinvest", Decimal("0.25"),
                                     _price("VTI", month), external_id=f"demo-vti-div-{month}"))
        if month % 6 == 0:
            trades.append(TradeInput(day(month, 10), "BND", "dividend", Decimal(1),
                                     Decimal("12.40"), external_id=f"demo-bnd-div-{month}"))
    trades += [
        TradeInput(day(2), "AAPL", "buy", Decimal(5), _price("AAPL", 2), Decimal("4.95"),
                   external_id="demo-aapl-buy"),
        TradeInput(day(18), "AAPL", "split", Decimal(4), external_id="demo-aapl-split"),
        TradeInput(day(30), "AAPL", "sell", Decimal(8), _price("AAPL", 30), Decimal("4.95"),
                   external_id="demo-aapl-sell"),
        # Sold at a loss in the dip, on the day of a monthly buy: a wash sale.
        TradeInput(day(21), "VTI", "sell", Decimal(6), _price("VTI", 21), Decimal("1.00"),
                   external_id="demo-vti-loss"),
    ]
    return trades


def _prices(start: date, today: date) -> list[PriceInput]:
    # The first trading day too, so returns since the start compare with the benchmark.
    prices = [PriceInput(start, symbol, _price(symbol, 0)) for symbol in NAMES]
    for month in range(MONTHS + 1):
        day = min(months_before(start, -month) + timedelta(days=27), today - timedelta(days=3))
        prices += [PriceInput(day, symbol, _price(symbol, month)) for symbol in NAMES]
    return prices


def seed_demo_investments(session: DbSession, user: User, today: date | None = None) -> str:
    scope = member_scope(session, user)
    today = today or date.today()
    start = months_before(today.replace(day=1), MONTHS - 1)
    account = records.find_investment_account(session, scope, ACCOUNT)
    if account is None:
        account = create_account(session, scope, AccountInput(
            name=ACCOUNT, type=records.INVESTMENT, institution="Demo Securities",
            icon="graph-up", color="#0d9488", opening_date=start))
    for symbol, (name, kind) in NAMES.items():
        records.ensure_security(session, scope, symbol, name=name, kind=kind)
    added = records.record_trades(session, scope, account, _trades(start),
                                  source=SOURCE_HAND).added
    records.record_prices(session, scope, _prices(start, today))
    return f"investments: {ACCOUNT} with {added} new trades in VTI, BND and AAPL"
