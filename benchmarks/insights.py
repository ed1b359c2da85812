"""Benchmark: the insight work for 5 years / 30,000 transactions (target: the whole insight job
in at most 10 s, issue 15): the saving-recommendations job, the spending forecast and the twelve
months of the health score, on SQLite, each from a cold ledger cache.

    .venv/bin/python benchmarks/insights.py [--transactions 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from dashboard import _app, load

TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    instance = tempfile.mkdtemp(prefix="ledgerly-insights-")
    app = _app(f"sqlite:///{instance}/bench.sqlite3", instance)
    load(app, args.transactions)

    from finance_app.extensions import db
    from finance_app.models.user import User
    from finance_app.services.forecasts.spending import forecast_spending
    from finance_app.services.health_score.figures import monthly_scores
    from finance_app.services.households.membership import member_scope
    from finance_app.services.ledger.periods import user_today
    from finance_app.tasks.insights import refresh_insights_job

    times: dict[str, list[float]] = {"recommendations job": [], "forecast": [],
                                     "health score, 12 months": [], "all": []}
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "bench@example.com")).one()
        scope = member_scope(db.session, user)
        today = user_today(user.timezone)
        found = 0
        for _ in range(args.runs):
            begun = time.perf_counter()
            result = refresh_insights_job(scope.household_id)
            found = result["added"] + result["updated"]
            t1 = time.perf_counter()
            forecast_spending(db.session, scope, user.base_currency, today)
            t2 = time.perf_counter()
            monthly_scores(db.session, scope, user.base_currency, today)
            t3 = time.perf_counter()
            db.session.rollback()
            times["recommendations job"].append(t1 - begun)
            times["forecast"].append(t2 - t1)
            times["health score, 12 months"].append(t3 - t2)
            times["all"].append(t3 - begun)
    for name, values in times.items():
        print(f"{name:<26} median {statistics.median(values) * 1000:7.0f} ms  "
              f"(best {min(values) * 1000:.0f}, {len(values)} runs)")
    total = statistics.median(times["all"])
    print(f"recommendations stored: {found}")
    print(f"insight work for {args.transactions:,} transactions: {total:.2f} s "
          f"(target <= {TARGET_SECONDS:.0f} s) {'OK' if total <= TARGET_SECONDS else 'MISSED'}")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
