"""Benchmark: rolling-origin backtest of the monthly per-category spending forecast.

On 5 years of the sample-data generator (the loader of benchmarks/dashboard.py, SQLite), every
month from the second year on is forecast per category from the months before it only, and the
mean absolute error is compared with "same as last month" (naive) and the 3-month average.
Target: beat naive by at least 15 % and beat the 3-month average. Also prints how long the
forecast page's figures take. The last line is

    mae=X.XX naive_mae=X.XX months=N

    .venv/bin/python benchmarks/forecast.py [--transactions 30000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from dashboard import _app, load

TARGET_GAIN = 15  # percent better than naive


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=30_000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    instance = tempfile.mkdtemp(prefix="ledgerly-forecast-")
    app = _app(f"sqlite:///{instance}/bench.sqlite3", instance)
    load(app, args.transactions)

    from finance_app.extensions import db
    from finance_app.models.user import User
    from finance_app.services.forecasts.backtest import as_series, backtest
    from finance_app.services.forecasts.spending import forecast_spending
    from finance_app.services.households.membership import member_scope
    from finance_app.services.ledger.periods import MONTH, DateRange, add_periods, user_today
    from finance_app.services.ledger.query import LedgerQuery
    from finance_app.services.ledger.spending import category_months

    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "bench@example.com")).one()
        scope = member_scope(db.session, user)
        today = user_today(user.timezone)
        this_month = today.replace(day=1)
        first = add_periods(this_month, MONTH, -72)
        q = LedgerQuery(scope, user.base_currency, today,
                        DateRange(first, this_month - timedelta(days=1)))
        by_category = category_months(db.session, q)
        seen = sorted({m for values in by_category.values() for m in values})
        months, series = as_series(by_category, seen[0], seen[-1])
        started = time.perf_counter()
        result = backtest(series)
        backtest_seconds = time.perf_counter() - started

        timings = []
        for _ in range(5):
            begun = time.perf_counter()
            forecast = forecast_spending(db.session, scope, user.base_currency, today)
            timings.append(time.perf_counter() - begun)
            db.session.rollback()

    gain_naive = result.gain_over_naive
    gain_avg3 = (1 - result.mae / result.average3_mae) * 100 if result.average3_mae else 0
    print(f"history: {len(months)} complete months ({months[0]:%b %Y} - {months[-1]:%b %Y}), "
          f"{len(series)} categories, {result.forecasts} (month, category) forecasts scored")
    print(f"model (median of 6 months + consistent seasons)  MAE {result.mae:>9}")
    print(f"naive (same as last month)                       MAE {result.naive_mae:>9}  "
          f"model better by {gain_naive} %  (target >= {TARGET_GAIN} %)  "
          f"{'OK' if gain_naive >= TARGET_GAIN else 'MISSED'}")
    beats_average3 = "OK" if result.mae < result.average3_mae else "MISSED"
    print(f"3-month average                                  MAE {result.average3_mae:>9}  "
          f"model better by {gain_avg3:.1f} %  {beats_average3}")
    print(f"backtest {backtest_seconds * 1000:.0f} ms; forecast page figures "
          f"median {sorted(timings)[len(timings) // 2] * 1000:.0f} ms "
          f"({len(forecast.rows)} categories, next month {forecast.total_next.amount})")
    print(f"mae={result.mae} naive_mae={result.naive_mae} months={result.months}")
    return 0 if gain_naive >= TARGET_GAIN and result.mae < result.average3_mae else 1


if __name__ == "__main__":
    raise SystemExit(main())
