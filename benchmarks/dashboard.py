"""Benchmark: dashboard, budgets page and every HTMX partial on 5 years / 30,000 transactions.

Loads one user's ledger with the sample-data generator, then times requests through the WSGI app
(server time: routing, queries, rendering) with a cold cache (emptied before every request) and a
warm one, on SQLite and on PostgreSQL (each in its own process). Prints p50/p95 in
milliseconds.

    .venv/bin/python benchmarks/dashboard.py                 # both databases
    .venv/bin/python benchmarks/dashboard.py --db sqlite --transactions 30000 --runs 30
PostgreSQL: a scratch database is created through TEST_PG_ADMIN_URL (default: the local server).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get(
    "TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark horse battery 42"
HX = {"HX-Request": "true"}


def _app(url: str, instance: str):  # type: ignore[no-untyped-def]
    from finance_app import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "TESTING": True,
        "SECRET_KEY": "bench-" + "x" * 40, "REDIS_URL": None, "RATELIMIT_ENABLED": False,
        "MAIL_SUPPRESS_SEND": True,
    })


def load(app, transactions: int) -> dict:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from finance_app.db import utcnow
    from finance_app.extensions import db
    from finance_app.models.ledger import Category
    from finance_app.services.budgets import budgets
    from finance_app.services.demo.sample_data import generate_ledger
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users
    from finance_app.services.ledger.periods import MONTH, WEEK, user_today

    with app.app_context():
        upgrade(revision="heads")
        user = users.create_user(db.session, "bench@example.com", PASSWORD, "Bench",
                                 check_strength=False)
        user.email_verified_at = utcnow()
        db.session.flush()
        started = time.perf_counter()
        ledger = generate_ledger(db.session, user, years=5, target_transactions=transactions,
                                 seed=42)
        today = user_today(user.timezone)
        scope = member_scope(db.session, user)
        groups = list(db.session.scalars(
            sa.select(Category).where(Category.household_id == scope.household_id,
                                      Category.kind == "expense",
                                      Category.parent_id.is_(None))
        ))
        for n, group in enumerate(groups[:6]):
            budgets.create_budget(db.session, scope, group.id, MONTH, Decimal(300 + 100 * n),
                                  rollover=n % 2 == 0, today=today.replace(year=today.year - 1))
        leaf = db.session.scalars(sa.select(Category).where(
            Category.household_id == scope.household_id, Category.parent_id.is_not(None),
            Category.kind == "expense")).first()
        budgets.create_budget(db.session, scope, leaf.id, WEEK, Decimal("75"), today=today)
        db.session.commit()
        loaded = time.perf_counter() - started
        print(f"  loaded {ledger.transactions:,} transactions in {loaded:.1f} s")
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))
        return {"category": ledger.categories[sorted(ledger.categories)[0]]}


def serve_like_wsgi() -> None:
    """The heap as the server has it (wsgi.py freezes it after creating the app), once the
    generator's leftovers, which no web process holds, are collected."""
    import gc

    from finance_app import freeze_startup_heap

    gc.collect()
    freeze_startup_heap()


def sign_in(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    response = client.post("/auth/login", data={"email": "bench@example.com",
                                                "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.status_code


class QueryCounter:
    """Counts the SQL statements the app sends (to catch N+1 queries)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self.count += 1


def measure(app, client, url: str, headers: dict, runs: int, cold: bool,  # type: ignore[no-untyped-def]
            counter: QueryCounter) -> tuple[list[float], int]:
    """Server times in ms of `runs` requests, and the queries of the last one."""
    from finance_app.web.ledger_cache import ledger_cache

    times, queries = [], 0
    client.get(url, headers=headers)  # warm the code paths (templates compiled, plans cached)
    for _ in range(runs):
        if cold:
            with app.app_context():
                ledger_cache().store.clear()  # type: ignore[attr-defined]
        before = counter.count
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        queries = counter.count - before
        assert response.status_code == 200, (url, response.status_code)
    return times, queries


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(db_name: str, transactions: int, runs: int) -> list[tuple]:
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
        info = load(app, transactions)
        serve_like_wsgi()
        client = app.test_client()
        with app.app_context():
            pass
        sign_in(client)
        pages = [
            ("dashboard (this month)", "/dashboard/", {}),
            ("dashboard (last 12 months)", "/dashboard/?range=last_12_months", {}),
            ("budgets page", "/budgets/", {}),
        ]
        for widget in ("summary", "budgets", "cashflow", "categories", "merchants", "balances"):
            pages.append((f"partial {widget}", f"/dashboard/?widget={widget}", HX))
        for granularity in ("weekly", "monthly", "yearly"):
            pages.append((f"partial trends {granularity}",
                          f"/dashboard/?widget=trends&granularity={granularity}", HX))
        pages.append(("partial category_transactions",
                      f"/dashboard/?widget=category_transactions&category={info['category']}",
                      HX))
        with app.app_context():
            from finance_app.extensions import db
            counter = QueryCounter(db.engine)
        results = []
        for label, url_, headers in pages:
            cold, cold_queries = measure(app, client, url_, headers, runs, True, counter)
            warm, warm_queries = measure(app, client, url_, headers, runs, False, counter)
            results.append((db_name, label, pct(cold, .5), pct(cold, .95), pct(warm, .5),
                            pct(warm, .95)))
            print(f"  {label:34} cold p50 {results[-1][2]:6.1f}  p95 {results[-1][3]:6.1f}"
                  f"   warm p50 {results[-1][4]:5.1f}  p95 {results[-1][5]:5.1f} ms"
                  f"   queries {cold_queries} cold / {warm_queries} warm")
        with app.app_context():
            from finance_app.extensions import db
            db.engine.dispose()
        return results
    finally:
        if pg_name:
            admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
            admin.dispose()


def run_apart(name: str, args: argparse.Namespace) -> list[tuple]:
    """One database's run in a fresh process, as each deployment runs one: the first run's
    heap (30,000 transactions of objects) would otherwise slow the second one's garbage
    collections and its figures would not be that database's."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        subprocess.run([sys.executable, __file__, "--db", name, "--transactions",
                        str(args.transactions), "--runs", str(args.runs),
                        "--results", out.name], check=True)
        return [tuple(row) for row in json.load(out)]


def main() -> None:
    # Budget alert emails are suppressed; their log lines would drown the figures.
    logging.getLogger("finance_app.notifications.email").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--transactions", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--results", help=argparse.SUPPRESS)  # a child run's figures, as JSON
    args = parser.parse_args()
    if args.db == "both":
        results = [row for name in ("sqlite", "postgresql") for row in run_apart(name, args)]
    else:
        results = run(args.db, args.transactions, args.runs)
        if args.results:
            Path(args.results).write_text(json.dumps(results))
            return
    worst_cold = max(r[3] for r in results)
    worst_warm = max(r[5] for r in results)
    print(f"\nworst p95: cold {worst_cold:.1f} ms (target 150), warm {worst_warm:.1f} ms "
          f"(target 30)")
    print(f"statistics on {args.runs} runs each; median of medians "
          f"{statistics.median(r[2] for r in results):.1f} ms cold; "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
