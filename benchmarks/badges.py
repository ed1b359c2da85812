"""Benchmark: the badges job and the badges page on 5 years / 30,000 transactions.

Loads one household with the sample-data generator (as benchmarks/dashboard.py does), monthly
budgets and three debts, then times the job's work (`evaluate_badges_job`: every rule measured,
awards written, committed) with no badge awarded yet (awards deleted before every run: the worst
case) and once they are (the nightly re-run), and the /badges/ page with a cold and a warm
ledger cache. Prints p50/p95 in milliseconds and the SQL statements of one run.

    .venv/bin/python benchmarks/badges.py                  # both databases
    .venv/bin/python benchmarks/badges.py --db sqlite --runs 10
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from benchmarks.dashboard import PG_ADMIN_URL, QueryCounter, _app, load, pct, sign_in

TARGET_MS = 2000


def add_debts(app) -> int:  # type: ignore[no-untyped-def]
    """Three debts (one following a card account) so the debt rules have work; the household."""
    from finance_app.extensions import db
    from finance_app.models.ledger import Account
    from finance_app.models.user import User
    from finance_app.services.debts import records
    from finance_app.services.households.membership import member_scope

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "bench@example.com"))
        scope = member_scope(db.session, user)
        card = db.session.scalars(sa.select(Account).where(
            Account.household_id == scope.household_id,
            Account.type == "credit_card")).first()
        inputs = [records.DebtInput("Car", "auto", balance=Decimal("9000"), apr=Decimal("6"),
                                    minimum_payment=Decimal("250")),
                  records.DebtInput("Student", "student", balance=Decimal("0"),
                                    minimum_payment=Decimal("100"))]
        if card is not None:
            inputs.append(records.DebtInput("Card", "credit_card", minimum_payment=Decimal("50"),
                                            account_id=card.id))
        for data in inputs:
            records.create_debt(db.session, scope, data)
        db.session.commit()
        return int(scope.household_id)


def time_job(app, household_id: int, runs: int, fresh: bool,  # type: ignore[no-untyped-def]
             counter: QueryCounter) -> tuple[list[float], int, int]:
    """Times in ms of the job's work, the statements of the last run, awards it made."""
    from finance_app.extensions import db
    from finance_app.models import BadgeAward, Notification
    from finance_app.tasks.badges import evaluate_badges_job

    times, queries, awarded = [], 0, 0
    for _ in range(runs):
        with app.app_context():
            if fresh:
                db.session.execute(sa.delete(BadgeAward))
                db.session.execute(sa.delete(Notification).where(
                    Notification.kind == "badge.earned"))
                db.session.commit()
            before = counter.count
            started = time.perf_counter()
            result = evaluate_badges_job(household_id)
            times.append((time.perf_counter() - started) * 1000)
            queries, awarded = counter.count - before, result["awarded"]
            db.session.remove()
    return times, queries, awarded


def time_page(app, client, runs: int, cold: bool,  # type: ignore[no-untyped-def]
              counter: QueryCounter) -> tuple[list[float], int]:
    from finance_app.web.ledger_cache import ledger_cache

    times, queries = [], 0
    client.get("/badges/")
    for _ in range(runs):
        if cold:
            with app.app_context():
                ledger_cache().store.clear()  # type: ignore[attr-defined]
        before = counter.count
        started = time.perf_counter()
        response = client.get("/badges/")
        times.append((time.perf_counter() - started) * 1000)
        queries = counter.count - before
        assert response.status_code == 200, response.status_code
    return times, queries


def run(db_name: str, transactions: int, runs: int) -> list[float]:
    instance = tempfile.mkdtemp(prefix="ledgerly-bench-")
    pg_name = None
    if db_name == "sqlite":
        url = f"sqlite:///{instance}/bench.sqlite3"
    else:
        pg_name = f"ledgerly_bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{pg_name}"'))
        admin.dispose()
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
    print(f"{db_name}:")
    try:
        app = _app(url, instance)
        load(app, transactions)
        household_id = add_debts(app)
        with app.app_context():
            from finance_app.extensions import db

            counter = QueryCounter(db.engine)
        worst = []
        for label, fresh in (("job, nothing awarded yet", True), ("job, re-run", False)):
            times, queries, awarded = time_job(app, household_id, runs, fresh, counter)
            worst.append(pct(times, .95))
            print(f"  {label:26} p50 {pct(times, .5):7.1f}  p95 {pct(times, .95):7.1f} ms"
                  f"   queries {queries}   awarded {awarded}")
        client = app.test_client()
        sign_in(client)
        for label, cold in (("page /badges/ cold cache", True), ("page /badges/ warm", False)):
            times, queries = time_page(app, client, runs, cold, counter)
            print(f"  {label:26} p50 {pct(times, .5):7.1f}  p95 {pct(times, .95):7.1f} ms"
                  f"   queries {queries}")
        with app.app_context():
            from finance_app.extensions import db

            db.engine.dispose()
        return worst
    finally:
        if pg_name:
            admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            admin.dispose()


def main() -> None:
    logging.getLogger("finance_app.notifications.email").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--transactions", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    names = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    worst = max(w for name in names for w in run(name, args.transactions, args.runs))
    print(f"\nworst job p95: {worst:.1f} ms (target {TARGET_MS}); {args.runs} runs each; "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
