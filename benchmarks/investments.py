"""Benchmark: realized gains and performance of 10 years of monthly buys in 20 symbols.

    .venv/bin/python benchmarks/investments.py [--years 10] [--symbols 20] [--repeat 5]

2,400 buy lots (one a month per symbol), a sale of 5 shares per symbol each December (200
sales closing pieces of many lots) and month-end prices for every symbol. Prints the time of:

- the lot engine alone (build every lot, every sale, wash-sale flags) and a year's gains;
- performance alone: TWR and XIRR for 1M/3M/YTD/1Y/3Y/all, overall and per account (2 accounts);
- the same through the services on a fresh SQLite database (what the gains page, the CLI
  and the performance page do: load trades and prices, then compute).

Target: gains and performance together <= 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _best_median(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def _price(symbol_index: int, month: int) -> Decimal:
    wiggle = Decimal((month * (symbol_index + 3)) % 7 - 3) / 100
    growth = Decimal("1.004") + Decimal(symbol_index % 5) / 1000
    return (Decimal(50 + symbol_index * 10) * growth ** month * (1 + wiggle)).quantize(
        Decimal("0.01"))


def build_inputs(years: int, symbols: int, first: date):
    from finance_app.services.investments.performance import months_before
    from finance_app.services.investments.records import PriceInput, TradeInput

    names = [f"S{n:02d}" for n in range(symbols)]
    trades: dict[int, list[TradeInput]] = {0: [], 1: []}
    prices = []
    for month in range(years * 12):
        day = months_before(first, -month)
        for index, symbol in enumerate(names):
            account = index % 2
            trades[account].append(TradeInput(day, symbol, "buy", Decimal(3),
                                              _price(index, month), Decimal("1.00"),
                                              fingerprint=f"{symbol}-{month}-buy"))
            if day.month == 12:
                trades[account].append(TradeInput(day.replace(day=20), symbol, "sell",
                                                  Decimal(5), _price(index, month),
                                                  Decimal("1.00"),
                                                  fingerprint=f"{symbol}-{month}-sell"))
            prices.append(PriceInput(day.replace(day=28), symbol, _price(index, month)))
    return trades, prices


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--symbols", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from finance_app.services.investments.lots import TradeEvent, build_lots, gain_totals
    from finance_app.services.investments.overview import gains_line, returns_of
    from finance_app.services.investments.portfolio import Portfolio
    from finance_app.services.investments.prices import PriceBook

    first = date(2016, 1, 5)
    end = date(2016 + args.years, 1, 10)
    trades, prices = build_inputs(args.years, args.symbols, first)
    events = [TradeEvent((account, n), t.day, t.symbol, t.action, t.quantity, t.price, t.fees,
                         account)
              for account, rows in trades.items() for n, t in enumerate(rows)]
    book_prices = PriceBook((p.symbol, p.day, p.close) for p in prices)
    lots = sum(1 for e in events if e.action == "buy")
    sales = sum(1 for e in events if e.action == "sell")
    print(f"{lots} lots, {sales} sales, {len(prices)} prices, {args.years} years, "
          f"{args.symbols} symbols")

    last_year = end.year - 1
    result: dict[str, str] = {}

    def gains() -> None:
        book = build_lots(events)
        result["line"] = gains_line(gain_totals(d for d in book.disposals
                                                if d.sold.year == last_year))

    def performance() -> None:
        portfolio = Portfolio(events, book_prices)
        overall = returns_of(portfolio, end, None, "S00")
        for account in (0, 1):
            returns_of(portfolio, end, [account], "S00")
        result["twr"] = f"all-time TWR {overall[-1].twr}% XIRR {overall[-1].xirr}%"

    g_best, g_median = _best_median(gains, args.repeat)
    p_best, p_median = _best_median(performance, args.repeat)
    print(f"lot engine + gains of {last_year}: best {g_best:.0f} ms, median {g_median:.0f} ms")
    print(f"  {result['line']}")
    print(f"performance (6 periods x overall + 2 accounts): best {p_best:.0f} ms, "
          f"median {p_median:.0f} ms")
    print(f"  {result['twr']}")
    print(f"gains + performance, engine: median {g_median + p_median:.0f} ms (target <= 1000)")

    from flask_migrate import upgrade

    from finance_app import create_app
    from finance_app.extensions import db
    from finance_app.models.ledger import Account
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users
    from finance_app.services.investments import overview, records

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                          "SECRET_KEY": "x" * 40, "TOKEN_ENCRYPTION_KEY": "y" * 43 + "=",
                          "INSTANCE_PATH": folder, "REDIS_URL": None})
        with app.app_context():
            upgrade(revision="heads")
            user = users.create_user(db.session, "bench@example.com", "a long benchmark pass",
                                     "Bench", check_strength=False)
            scope = member_scope(db.session, user)
            for account, rows in trades.items():
                row = Account(household_id=scope.household_id, name=f"Brokerage {account}",
                              type="investment", owner_id=user.id)
                db.session.add(row)
                db.session.flush()
                records.record_trades(db.session, scope, row, rows)
            records.record_prices(db.session, scope, prices)
            db.session.commit()

            def service_gains() -> None:
                overview.realized_gains(db.session, scope, last_year)

            def service_performance() -> None:
                overview.returns_view(db.session, scope, end, "S00")

            sg_best, sg_median = _best_median(service_gains, args.repeat)
            sp_best, sp_median = _best_median(service_performance, args.repeat)
            db.session.remove()
            db.engine.dispose()
    print(f"services on SQLite, gains page: best {sg_best:.0f} ms, median {sg_median:.0f} ms")
    print(f"services on SQLite, performance page: best {sp_best:.0f} ms, "
          f"median {sp_median:.0f} ms")
    print(f"gains + performance, services: median {sg_median + sp_median:.0f} ms "
          f"(target <= 1000)")


if __name__ == "__main__":
    main()
