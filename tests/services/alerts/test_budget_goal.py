"""Budget thresholds and goal milestones on each member's channels: the feature records and
shows each once under the bell; the alert channels add email, SMS and webhooks once per member
and occurrence, never a second in-app notification."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Notification
from finance_app.models.ledger import Category
from finance_app.models.recurring import (
    BUDGET_EXCEEDED,
    BUDGET_THRESHOLD,
    GOAL_MILESTONE,
    GOAL_REACHED,
    AlertSend,
)
from finance_app.services import webhooks
from finance_app.services.alerts import preferences
from finance_app.services.budgets.budgets import create_budget
from finance_app.services.goals import records
from finance_app.tasks.budget_alerts import check_budget_alerts_job
from finance_app.tasks.goals import evaluate_milestones_job
from tests.factories import make_account, make_txn, make_user, scope_of
from tests.services.recurring.test_sms import SID, FakeTwilio
from tests.services.test_webhooks import KEYS, Receiver

TODAY = date(2026, 7, 15)


@pytest.fixture()
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture()
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _phone(user, twilio) -> None:
    from finance_app.integrations.twilio import TwilioSettings, send_sms
    from finance_app.services.recurring import sms

    settings = TwilioSettings(SID, "secret-token", "+15005550006", twilio.url)
    sender = lambda to, body: send_sms(settings, to, body)  # noqa: E731
    sms.start_verification(db.session, user.id, "+14155550123", sender)
    sms.confirm_code(db.session, user.id, twilio.code())


def test_a_budget_alert_goes_on_the_chosen_channels_once(app, receiver, twilio, mailbox):
    app.config.update(TOKEN_ENCRYPTION_KEY=KEYS, TWILIO_ACCOUNT_SID=SID,
                      TWILIO_AUTH_TOKEN="secret-token", TWILIO_FROM_NUMBER="+15005550006",
                      TWILIO_API_BASE=twilio.url)
    with app.app_context():
        user = make_user()
        scope = scope_of(user)
        today = date.today()
        groceries = db.session.scalar(select(Category).where(
            Category.household_id == scope.household_id, Category.name == "Groceries"))
        create_budget(db.session, scope, groceries.id, "monthly", Decimal("100.00"),
                      today=today)
        webhooks.add_endpoint(db.session, scope, receiver.url, [BUDGET_EXCEEDED], KEYS,
                              allow_private=True)
        _phone(user, twilio)
        preferences.set_channels(db.session, user.id, {BUDGET_THRESHOLD},
                                 sms={BUDGET_THRESHOLD}, webhook={BUDGET_THRESHOLD})
        joint = make_account(user, "Joint")
        make_txn(joint, "-85.00", on=today, category_id=groceries.id)
        db.session.commit()
        household = scope.household_id
        assert check_budget_alerts_job(household) == {"alerts": 1, "emails": 1}  # 80 %
        assert check_budget_alerts_job(household) == {"alerts": 0, "emails": 0}
        make_txn(joint, "-30.00", on=today, category_id=groceries.id)
        db.session.commit()
        assert check_budget_alerts_job(household) == {"alerts": 1, "emails": 1}  # 100 %
        assert check_budget_alerts_job(household) == {"alerts": 0, "emails": 0}
        # Under the bell once per crossing (the budget's own), never again by the channels.
        assert _count(Notification, Notification.kind == "budget.threshold") == 2
        assert _count(Notification, Notification.kind.like("alerts.%")) == 0
        assert _count(AlertSend, AlertSend.kind == BUDGET_THRESHOLD) == 2
    subjects = [m["Subject"] for m in mailbox.to("alice@example.com")]
    assert subjects == ["Groceries: 80% of your budget used", "Groceries: budget used up"]
    texts = [m["Body"] for m in twilio.messages[1:]]  # after the verification code
    assert texts == ["Ledgerly: Groceries: 80% of budget used.",
                     "Ledgerly: Groceries: budget used up."]
    # Only "budget exceeded" is a webhook event: one delivery, at 100 %.
    [hook] = receiver.requests
    data = json.loads(hook["body"])
    assert data["event"] == BUDGET_EXCEEDED and data["data"]["threshold"] == 100
    assert data["data"]["spent"] == "115.00"


def test_turning_budget_email_off_here_turns_it_off_in_the_profile_too(ctx):
    user = make_user()
    assert BUDGET_THRESHOLD in preferences.email_kinds(db.session, user.id)  # as before
    preferences.set_channels(db.session, user.id, set())
    assert user.notify_budget_email is False and user.notify_goal_email is False
    assert preferences.email_kinds(db.session, user.id) == set()


def _goal(user, saved: str):
    scope = scope_of(user)
    account = make_account(scope, "Trip savings", type="savings",
                           opening_balance=Decimal(saved))
    goal = records.create_goal(db.session, scope, records.GoalInput(
        "Lisbon", Decimal("1000"), "vacation", links=[records.LinkInput(account.id)]), TODAY)
    return scope, goal


def test_a_goal_passing_half_alerts_once_and_reaching_it_is_a_webhook(app, receiver, mailbox):
    app.config["TOKEN_ENCRYPTION_KEY"] = KEYS
    with app.app_context():
        user = make_user()
        scope, goal = _goal(user, saved="600")
        webhooks.add_endpoint(db.session, scope, receiver.url, [GOAL_REACHED], KEYS,
                              allow_private=True)
        db.session.commit()
        assert evaluate_milestones_job(scope.household_id, TODAY.isoformat()) == {
            "milestones": 2, "emails": 1}
        assert evaluate_milestones_job(scope.household_id, TODAY.isoformat()) == {
            "milestones": 0, "emails": 0}
        keys = db.session.scalars(select(AlertSend.key)).all()
        assert keys == [f"{GOAL_MILESTONE}:{goal.id}:50"]  # passing 25 and 50: the highest
        assert receiver.requests == []  # 50 % is not "goal reached"
        records.add_contribution(db.session, scope, goal.id, Decimal("400"), TODAY, TODAY)
        db.session.commit()
        assert evaluate_milestones_job(scope.household_id, TODAY.isoformat())["emails"] == 1
        assert evaluate_milestones_job(scope.household_id, TODAY.isoformat())["emails"] == 0
        assert _count(Notification, Notification.kind.like("alerts.%")) == 0
    assert [m["Subject"] for m in mailbox.to("alice@example.com")] == [
        "Lisbon: 50% saved", "Lisbon: goal reached!"]
    [hook] = receiver.requests
    assert json.loads(hook["body"])["data"]["percent"] == 100
