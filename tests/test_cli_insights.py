"""`flask insights recurring --user EMAIL [--today]`: one exact line per series, last
`series=N`; running it twice gives the same lines."""

from __future__ import annotations

from datetime import date, timedelta

from finance_app.extensions import db
from finance_app.ml.schedule import add_months, last_business_day
from tests.factories import make_account, make_category, make_txn, make_user


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["insights", "recurring", *args])


def test_prints_one_line_per_series_and_the_count(app):
    with app.app_context():
        user = make_user("bills@example.com")
        checking = make_account(user, "Checking")
        subscriptions = make_category(user, "Subscriptions")
        for n in range(6):
            make_txn(checking, "-15.49", add_months(date(2025, 1, 3), n), "Netflix",
                     category=subscriptions)
        for month in range(1, 7):
            fifteenth = date(2025, month, 15)
            while fifteenth.weekday() >= 5:
                fifteenth -= timedelta(days=1)
            for day in (fifteenth, last_business_day(2025, month)):
                make_txn(checking, "2400.00", day, "Initech Payroll")
        make_txn(checking, "-640.00", date(2024, 3, 20), "Lemonade")
        make_txn(checking, "-640.00", date(2025, 3, 20), "Lemonade")
        db.session.commit()
    result = _run(app, "--user", "bills@example.com", "--today", "2025-07-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "merchant=Netflix interval=monthly amount=15.49 next=2025-07-03 kind=subscription",
        "merchant=Initech Payroll interval=semi-monthly amount=2400.00 next=2025-07-15 "
        "kind=income",
        "merchant=Lemonade interval=yearly amount=640.00 next=2026-03-20 kind=bill",
        "series=3",
    ]
    again = _run(app, "--user", "bills@example.com", "--today", "2025-07-01")
    assert again.stdout == result.stdout


def test_an_unknown_user_or_a_bad_date_is_an_error(app):
    result = _run(app, "--user", "nobody@example.com")
    assert result.exit_code == 1 and "no user" in result.stderr
    with app.app_context():
        make_user("bills@example.com")
    result = _run(app, "--user", "bills@example.com", "--today", "31/03/2026")
    assert result.exit_code == 1 and "is not a date" in result.stderr
