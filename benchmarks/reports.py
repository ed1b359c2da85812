"""Benchmark: the full report (every section) of 5 years / 30,000 transactions, as PDF, XLSX and
CSV, on SQLite and on PostgreSQL. Prints the time to read the ledger and to render each format
(target: the PDF, reading included, in at most 4 s), and the PDF's pages and size.

    .venv/bin/python benchmarks/reports.py                      # both databases
    .venv/bin/python benchmarks/reports.py --db sqlite --runs 3 --out /tmp/report.pdf
Uses the loader of benchmarks/dashboard.py (the sample-data generator, budgets included).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa
from dashboard import PG_ADMIN_URL, _app, load

TARGET_SECONDS = 4.0


def measure(app, runs: int, out: str | None) -> dict:  # type: ignore[no-untyped-def]
    import pypdf

    from finance_app.extensions import db
    from finance_app.models.user import User
    from finance_app.services.households.membership import member_scope
    from finance_app.services.ledger.periods import DateRange, user_today
    from finance_app.services.reports.exporting import render, report_data
    from finance_app.services.reports.params import ALL, ReportParams

    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "bench@example.com")).one()
        scope = member_scope(db.session, user)
        today = user_today(user.timezone)
        span = DateRange(today.replace(year=today.year - 5, day=1), today)
        params = ReportParams(start=span.start, end=span.end, kind=ALL)
        times: dict[str, list[float]] = {"read": [], "pdf": [], "xlsx": [], "csv": [],
                                         "pdf total": []}
        body = b""
        for _ in range(runs):
            started = time.perf_counter()
            data = report_data(db.session, scope, user.base_currency, today, params)
            read = time.perf_counter() - started
            times["read"].append(read)
            for file_format in ("pdf", "xlsx", "csv"):
                begun = time.perf_counter()
                rendered = render(data, file_format)
                times[file_format].append(time.perf_counter() - begun)
                if file_format == "pdf":
                    body = rendered
                    times["pdf total"].append(read + times["pdf"][-1])
            db.session.rollback()
        pages = len(pypdf.PdfReader(io.BytesIO(body)).pages)
        if out:
            Path(out).write_bytes(body)
        return {"times": times, "pages": pages, "bytes": len(body),
                "income": data.totals.income, "spending": data.totals.spending,
                "transactions": data.totals.transactions}


def run(db_name: str, transactions: int, runs: int, out: str | None) -> float:
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
        result = measure(app, runs, out)
        for label, values in result["times"].items():
            print(f"  {label:10} median {statistics.median(values):6.2f} s   "
                  f"max {max(values):6.2f} s")
        print(f"  PDF: {result['pages']} pages, {result['bytes'] / 1024:.0f} KB; "
              f"{result['transactions']:,} transactions counted, income "
              f"{result['income']:,.2f}, spending {result['spending']:,.2f}")
        with app.app_context():
            from finance_app.extensions import db
            db.engine.dispose()
        return max(result["times"]["pdf total"])
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
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", help="Write the last PDF here.")
    args = parser.parse_args()
    names = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    worst = max(run(name, args.transactions, args.runs, args.out) for name in names)
    print(f"\nworst PDF (read + render): {worst:.2f} s (target {TARGET_SECONDS:.0f} s); "
          f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
