"""Large transactions: a row of the last week at or above the member's amount, once each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.recurring import LARGE_TRANSACTION
from finance_app.services.alerts import preferences
from finance_app.services.alerts.record import record_alerts
from tests.factories import make_account, make_txn, make_user, scope_of

KINDS = (LARGE_TRANSACTION,)
TODAY = date(2025, 6, 10)


def test_rows_at_or_above_the_amount_alert_once_each(ctx):
    user = make_user()
    checking = make_account(user, "Checking")
    make_txn(checking, "-499.99", date(2025, 6, 9), "Grocer")
    big = make_txn(checking, "-500.00", date(2025, 6, 8), "Apple Store")
    pay = make_txn(checking, "1200.00", date(2025, 6, 6), "Employer")
    make_txn(checking, "-900.00", date(2025, 5, 20), "Old news")  # before the last week
    household = scope_of(user).household_id
    assert record_alerts(db.session, household, TODAY, KINDS) == []  # no amount set: none
    assert preferences.set_large_threshold(db.session, user.id, "$500") == Decimal("500")
    sends = record_alerts(db.session, household, TODAY, KINDS)
    assert sorted(s.key for s in sends) == sorted(
        [f"{LARGE_TRANSACTION}:{big.id}", f"{LARGE_TRANSACTION}:{pay.id}"])
    titles = {s.key: s.title for s in sends}
    assert titles[f"{LARGE_TRANSACTION}:{big.id}"] == "A large charge at Apple Store"
    assert titles[f"{LARGE_TRANSACTION}:{pay.id}"] == "A large payment from Employer"
    assert "-$500.00" in next(s.body for s in sends if s.key.endswith(f":{big.id}"))
    assert record_alerts(db.session, household, TODAY, KINDS) == []
    assert record_alerts(db.session, household, date(2025, 6, 11), KINDS) == []
    preferences.set_large_threshold(db.session, user.id, "")
    assert preferences.get_large_threshold(db.session, user.id) is None
