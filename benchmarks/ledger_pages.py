"""Benchmark: ledger pages over 5 years / 30,000 transactions, on SQLite and PostgreSQL.

Loads one user's ledger with the sample-data generator into a fresh SQLite file and a fresh
PostgreSQL database (created through BENCH_PG_ADMIN_URL or TEST_PG_ADMIN_URL, dropped at the end),
signs in through the real login form, then times each page in PAGES with the Flask test client:
a warm-up, then N requests, reporting p50/p95 server time. Target: p95 <= 100 ms.

Run: .venv/bin/python benchmarks/ledger_pages.py [--transactions 30000] [--years 5]
     [--requests 50] [--only sqlite|postgresql]

Other pages of the ledger are added to PAGES as (label, path) — paths may use {account_id},
{groceries_id}, {year_ago} and {today}.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from dashboard import serve_like_wsgi

from finance_app import create_app
from finance_app.extensions import db

PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
EMAIL, PASSWORD = "bench@example.com", "benchmark horse battery staple"
TARGET_P95_MS = 100.0
WARM_UP = 5

PAGES: list[tuple[str, str]] = [
    ("accounts", "/accounts/"),
    ("account detail", "/accounts/{account_id}"),
    ("net worth (monthly, all)", "/accounts/net-worth"),
    ("net worth (daily, 1 year)", "/accounts/net-worth?interval=day&range=1y"),
    ("categories", "/categories/"),
    ("transactions", "/transactions/"),
    ("transactions q=amazon", "/transactions/?q=amazon"),
    ("transactions cat+dates+amount",
     "/transactions/?category={groceries_id}&from={year_ago}&to={today}&min=20&max=500"),
    ("transactions by amount p40", "/transactions/?sort=amount&dir=asc&page=40"),
]


def _pg(name: str, create: bool) -> str:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _app(url: str, instance: str):  # type: ignore[no-untyped-def]
    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance,
        "SECRET_KEY": "benchmark-" + "x" * 40, "TESTING": True, "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "REDIS_URL": None, "MAIL_SUPPRESS_SEND": True,
    })


def _load(app, years: float, transactions: int) -> dict:  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from finance_app.db import utcnow
    from finance_app.services.demo.sample_data import generate_ledger
    from finance_app.services.identity import users

    with app.app_context():
        upgrade(revision="heads")
        user = users.create_user(db.session, EMAIL, PASSWORD, "Bench", check_strength=False)
        user.email_verified_at = utcnow()
        started = time.perf_counter()
        result = generate_ledger(db.session, user, years=years,
                                 target_transactions=transactions, seed=1)
        db.session.commit()
        seconds = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does soon after a big import: statistics, the visibility map
            # (index-only scans) and the GIN pending lists flushed into the trigram indexes.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        return {"seconds": seconds, "rows": result.transactions,
                "account_id": result.accounts["checking"],
                "groceries_id": result.categories["Groceries"],
                "year_ago": (result.end - timedelta(days=365)).isoformat(),
                "today": result.end.isoformat()}


def _time_pages(app, values: dict, requests: int) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    login = client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 303, login.status_code
    results = []
    for label, template in PAGES:
        path = template.format(**values)
        for _ in range(WARM_UP):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        cuts = statistics.quantiles(timings, n=100, method="inclusive")
        results.append((label, statistics.median(timings), cuts[94]))
    return results


def run(backend: str, years: float, transactions: int, requests: int) -> list[tuple]:
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        name = f"ledger_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        url = f"sqlite:///{tmp}/bench.db" if backend == "sqlite" else _pg(name, create=True)
        try:
            app = _app(url, tmp)
            loaded = _load(app, years, transactions)
            serve_like_wsgi()
            print(f"{backend}: generated {loaded['rows']:,} transactions in "
                  f"{loaded['seconds']:.1f} s", flush=True)
            values = {k: v for k, v in loaded.items() if k not in ("seconds", "rows")}
            timings = _time_pages(app, values, requests)
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            return [(backend, *row) for row in timings]
        finally:
            if backend == "postgresql":
                _pg(name, create=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=30000)
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    rows = []
    for backend in ("sqlite", "postgresql"):
        if args.only in (None, backend):
            rows += run(backend, args.years, args.transactions, args.requests)
    print()
    print(f"{'backend':<11} {'page':<28} {'p50 ms':>8} {'p95 ms':>8}  target p95 <= "
          f"{TARGET_P95_MS:.0f} ms")
    for backend, label, p50, p95 in rows:
        flag = "ok" if p95 <= TARGET_P95_MS else "SLOW"
        print(f"{backend:<11} {label:<28} {p50:>8.1f} {p95:>8.1f}  {flag}")


if __name__ == "__main__":
    main()
