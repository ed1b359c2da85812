"""New transactions posted: one summary per member and run with the count and how many need
review, never one per row; its "new expense" webhook carries the run's outflows in one
signed delivery."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Notification
from finance_app.models.recurring import NEW_EXPENSE, NEW_TRANSACTIONS, AlertSend
from finance_app.services import webhooks
from finance_app.services.alerts.digest import summary_title
from finance_app.services.alerts.record import record_alerts
from finance_app.tasks.alerts import send_alerts_job
from tests.factories import make_account, make_category, make_txn, make_user, scope_of
from tests.services.test_webhooks import KEYS, Receiver, _verify

KINDS = (NEW_TRANSACTIONS,)
TODAY = date(2025, 6, 10)


@pytest.fixture()
def receiver():
    server = Receiver()
    yield server
    server.close()


def _rows(user, categorized: int, uncategorized: int, on: date = TODAY):
    checking = make_account(user, f"Checking {categorized}-{uncategorized}")
    food = make_category(user, f"Food {categorized}-{uncategorized}")
    rows = [make_txn(checking, "-10.00", on, f"Cafe {n}", category=food)
            for n in range(categorized)]
    rows += [make_txn(checking, "-5.00", on, f"Kiosk {n}") for n in range(uncategorized)]
    return rows


def test_the_title_counts():
    assert summary_title(14, 3) == "14 new transactions, 3 need review"
    assert summary_title(1, 1) == "1 new transaction, 1 needs review"
    assert summary_title(2, 0) == "2 new transactions"


def test_one_summary_per_run_counting_the_new_rows(ctx):
    user = make_user()
    household = scope_of(user).household_id
    _rows(user, 11, 3)
    old = make_account(user, "Old")
    make_txn(old, "-1.00", TODAY - timedelta(days=30), "History")  # imported history: not news
    [first] = record_alerts(db.session, household, TODAY, KINDS)
    assert first.title == "14 new transactions, 3 need review"
    assert record_alerts(db.session, household, TODAY, KINDS) == []  # the job runs twice
    _rows(user, 2, 0)
    [second] = record_alerts(db.session, household, TODAY, KINDS)
    assert second.title == "2 new transactions" and second.through_id > first.through_id
    assert record_alerts(db.session, household, TODAY, KINDS) == []
    notes = db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == f"alerts.{NEW_TRANSACTIONS}"))
    assert notes == 2 and db.session.scalar(select(func.count()).select_from(AlertSend)) == 2


def test_new_expenses_go_to_a_webhook_in_one_signed_delivery(app, receiver):
    with app.app_context():
        user = make_user()
        scope = scope_of(user)
        added = webhooks.add_endpoint(db.session, scope, receiver.url, [NEW_EXPENSE], KEYS,
                                      allow_private=True)
        rows = _rows(user, 3, 1)
        make_txn(rows[0].account, "250.00", TODAY, "Refund")  # money in: not an expense
        db.session.commit()
        household, secret = scope.household_id, added.secret
    app.config["TOKEN_ENCRYPTION_KEY"] = KEYS
    with app.app_context():
        first = send_alerts_job(household, TODAY.isoformat(), list(KINDS))
        assert (first["alerts"], first["webhooks"]) == (1, 1)
        assert send_alerts_job(household, TODAY.isoformat(), list(KINDS))["webhooks"] == 0
    [got] = receiver.requests
    assert _verify(secret, got["headers"], got["body"])
    body = json.loads(got["body"])
    assert body["event"] == NEW_EXPENSE
    assert body["data"]["count"] == 4 and len(body["data"]["expenses"]) == 4
    assert body["data"]["title"] == "5 new transactions, 2 need review"
    assert {e["amount"] for e in body["data"]["expenses"]} == {"-10.00", "-5.00"}
