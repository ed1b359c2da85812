"""Benchmark: the weekly summary's scheduler pass and one email's figures.

    .venv/bin/python benchmarks/weekly_summary.py [--members N]

On a fresh SQLite database in a temporary folder: seeds the demo household (figures on), adds
N opted-in members in many time zones, then prints the time of one scheduler scan (who is due,
what every 15 minutes does), of building the demo member's figures (ledger trend over 9 weeks,
budget statuses, goals, badges), and of a whole `--now` run with mail suppressed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _best_median(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from zoneinfo import available_timezones

    from flask_migrate import upgrade

    from finance_app import create_app
    from finance_app.db import utcnow
    from finance_app.extensions import db
    from finance_app.models.user import User
    from finance_app.services.demo.seed import seed_demo
    from finance_app.services.identity import provisioning
    from finance_app.services.weekly_summary.content import build_summary
    from finance_app.services.weekly_summary.due import local_week_start, scan_due_members
    from finance_app.tasks.weekly_summary import send_weekly_summaries

    folder = Path(tempfile.mkdtemp(prefix="weekly-bench-"))
    app = create_app({"INSTANCE_PATH": str(folder), "MAIL_SUPPRESS_SEND": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"})
    zones = sorted(available_timezones())
    with app.app_context():
        upgrade(revision="heads")
        seed_demo(db.session, "demo@example.com")
        now = utcnow()
        for n in range(args.members):
            user = User(email=f"member{n}@example.com", password_hash="x",
                        timezone=zones[n % len(zones)], weekly_email_weekday=n % 7,
                        weekly_email_hour=n % 24, email_verified_at=now)
            db.session.add(user)
            db.session.flush()
            provisioning.provision_user(db.session, user)
        db.session.commit()

        best, median = _best_median(lambda: scan_due_members(db.session, now), args.repeat)
        due = len(scan_due_members(db.session, now).due)
        print(f"scan of {args.members + 2} members ({due} due now): "
              f"{best:.1f} ms best / {median:.1f} ms median")
        demo = db.session.query(User).filter_by(email="demo@example.com").one()
        week = local_week_start(now, demo.timezone)
        best, median = _best_median(lambda: build_summary(db.session, demo, week, now),
                                    args.repeat)
        print(f"demo member's figures: {best:.1f} ms best / {median:.1f} ms median")
        import logging

        logging.getLogger("finance_app.notifications.email").setLevel(logging.ERROR)
        start = time.perf_counter()
        result = send_weekly_summaries(ignore_hour=True)
        seconds = time.perf_counter() - start
        print(f"--now run: {result} in {seconds:.1f} s "
              f"({seconds * 1000 / max(result['sent'], 1):.1f} ms an email, mail suppressed)")


if __name__ == "__main__":
    main()
