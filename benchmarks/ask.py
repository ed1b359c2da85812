"""Benchmark: answering questions in plain English on 5 years / 30,000 transactions.

Loads one user's ledger with the sample-data generator, then times `ask()` (reading the
question against the household's names and answering it through the ledger core) for the
issue's example questions, and the /ask/ page through the WSGI app (HTMX fragment). Prints
p50/p95 in milliseconds per question and over all of them; the target is p95 <= 150 ms.

    .venv/bin/python benchmarks/ask.py                       # PostgreSQL and SQLite
    .venv/bin/python benchmarks/ask.py --db postgresql --transactions 30000 --runs 20
PostgreSQL: a scratch database is created through TEST_PG_ADMIN_URL (default: the local server).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get(
    "TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark horse battery 42"
TARGET_MS = 150.0
QUESTIONS = (
    "how much did I spend on restaurants last month",
    "biggest purchases in 2025",
    "average grocery bill this year",
    "{a} vs {b} since March",
    "how many times did I go to {a} in October",
    "what did I earn in Q2",
    "spending on travel in 2024 vs 2025",
    "largest expense category last quarter",
    "when did I last pay rent",
    "how much did I spend in the last 90 days",
    "how much did I spend on unicorns",
)


def _app(url: str, instance: str):  # type: ignore[no-untyped-def]
    from finance_app import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "TESTING": True,
        "SECRET_KEY": "bench-" + "x" * 40, "REDIS_URL": None, "RATELIMIT_ENABLED": False,
        "MAIL_SUPPRESS_SEND": True, "WTF_CSRF_ENABLED": False,
    })


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(db_name: str, transactions: int, runs: int) -> list[float]:
    from flask_migrate import upgrade

    from finance_app.db import utcnow
    from finance_app.extensions import db
    from finance_app.models.ledger import Transaction
    from finance_app.services.ask.answer import ask
    from finance_app.services.demo.sample_data import generate_ledger
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users
    from finance_app.services.ledger.periods import user_today

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
        with app.app_context():
            upgrade(revision="heads")
            user = users.create_user(db.session, "bench@example.com", PASSWORD, "Bench",
                                     check_strength=False)
            user.email_verified_at = utcnow()
            db.session.flush()
            generate_ledger(db.session, user, years=5, target_transactions=transactions, seed=42)
            db.session.commit()
            scope = member_scope(db.session, user)
            count = db.session.scalar(sa.select(sa.func.count()).select_from(Transaction))
            merchants = db.session.scalars(
                sa.select(Transaction.merchant).where(Transaction.amount < 0)
                .group_by(Transaction.merchant).order_by(sa.func.count().desc()).limit(2)).all()
            today = user_today(user.timezone)
            print(f"  {count} transactions; merchants asked about: {', '.join(merchants)}")
            questions = [q.format(a=merchants[0], b=merchants[1]) for q in QUESTIONS]
            all_times: list[float] = []
            for question in questions:
                times = []
                for _ in range(runs):
                    db.session.expire_all()
                    started = time.perf_counter()
                    answer = ask(db.session, scope, user.base_currency, today, question)
                    times.append((time.perf_counter() - started) * 1000)
                    db.session.rollback()
                all_times += times
                print(f"  {question[:52]:52} p50 {pct(times, .5):6.1f}  p95 {pct(times, .95):6.1f}"
                      f" ms   {answer.cli_answer}")
        client = app.test_client()
        client.post("/auth/login", data={"email": "bench@example.com", "password": PASSWORD})
        page_times = []
        for question in questions:
            for _ in range(max(3, runs // 4)):
                started = time.perf_counter()
                response = client.get("/ask/", query_string={"q": question},
                                      headers={"HX-Request": "true"})
                page_times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
        print(f"  ask() over all questions        p50 {pct(all_times, .5):6.1f}  "
              f"p95 {pct(all_times, .95):6.1f} ms (target p95 <= {TARGET_MS:.0f} ms)")
        print(f"  GET /ask/ (HTMX) over all       p50 {pct(page_times, .5):6.1f}  "
              f"p95 {pct(page_times, .95):6.1f} ms")
        with app.app_context():
            db.engine.dispose()
        return all_times
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
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    names = ("postgresql", "sqlite") if args.db == "both" else (args.db,)
    for name in names:
        times = run(name, args.transactions, args.runs)
        print(f"{name} p95_ms={pct(times, .95):.1f} target_ms={TARGET_MS:.0f}")


if __name__ == "__main__":
    main()
