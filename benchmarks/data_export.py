"""Benchmark: the full data export (ZIP) of 5 years / 30,000 transactions. Target: <= 10 s.

Loads the benchmark household (benchmarks/dashboard.py's loader) into a fresh SQLite file,
then builds the ZIP with the same function the job runs, and prints the time, the size and
the rows it holds.

Run: .venv/bin/python benchmarks/data_export.py [--transactions 30000] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dashboard import _app, load

TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from finance_app.extensions import db
    from finance_app.models.household import Household
    from finance_app.models.user import User
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity.data_archive import write_data_archive

    with tempfile.TemporaryDirectory() as instance:
        app = _app(f"sqlite:///{instance}/bench.sqlite3", instance)
        load(app, args.transactions)
        with app.app_context():
            user = db.session.query(User).one()
            scope = member_scope(db.session, user)
            name = db.session.get(Household, scope.household_id).name
            timings, size, summary = [], 0, None
            for _ in range(args.runs):
                out = io.BytesIO()
                started = time.perf_counter()
                summary = write_data_archive(db.session, scope, out, settings=app.config,
                                             household_name=name)
                timings.append(time.perf_counter() - started)
                size = out.tell()
                db.session.rollback()
    best, median = min(timings), statistics.median(timings)
    assert summary is not None
    print(f"data export ZIP: {summary.rows:,} rows in {summary.tables} tables, "
          f"{size / 1e6:.1f} MB")
    print(f"zip_seconds median={median:.2f} best={best:.2f} target<={TARGET_SECONDS:.0f} "
          f"{'OK' if median <= TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
