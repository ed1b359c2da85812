"""Bill and anomaly alerts: once per member and occurrence however often the job runs; email
only for the kinds a member chose; a private account's bills only to its owner."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Notification
from finance_app.models.household import EDITOR, Membership
from finance_app.models.recurring import BILL_DUE, BILL_LATE, AlertSend
from finance_app.services.recurring import alerts
from finance_app.services.recurring.detection import detect_recurring
from finance_app.tasks.recurring import detect_recurring_job
from tests.factories import make_account, make_user, scope_of
from tests.services.recurring.conftest import add_monthly, netflix_household


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_each_alert_is_recorded_once_even_when_the_job_runs_twice(ctx):
    user = make_user()
    netflix_household(user, months=5)  # Jan..May: the June rent (1st) is late on the 10th
    household = scope_of(user).household_id
    detect_recurring(db.session, household, date(2025, 5, 20))
    first = alerts.record_alerts(db.session, household, date(2025, 6, 10))
    assert sorted((s.kind, s.key.split(":", 2)[2]) for s in first) == [
        (BILL_LATE, "2025-06-01"), (BILL_LATE, "2025-06-03")]
    assert alerts.record_alerts(db.session, household, date(2025, 6, 10)) == []
    assert _count(AlertSend) == 2 and _count(Notification) == 2
    # Three days before July's rent: one "due" alert, once.
    due = alerts.record_alerts(db.session, household, date(2025, 6, 28))
    assert [s.kind for s in due] == [BILL_DUE]
    assert due[0].title == "Landlord is due on Jul 01"
    assert alerts.record_alerts(db.session, household, date(2025, 6, 29)) == []


def test_email_only_for_the_kinds_chosen(ctx, mailbox):
    user = make_user("payer@example.com")
    netflix_household(user, months=5)
    db.session.commit()
    household = scope_of(user).household_id
    alerts.set_email_kinds(db.session, user.id, {BILL_LATE})
    db.session.commit()
    result = detect_recurring_job(household, "2025-06-10")
    assert (result["alerts"], result["emails"]) == (2, 2)
    messages = mailbox.to("payer@example.com")
    assert len(messages) == 2
    assert {m["Subject"] for m in messages} == {"Landlord is late", "Netflix is late"}
    again = detect_recurring_job(household, "2025-06-10")
    assert (again["alerts"], again["emails"]) == (0, 0)
    assert len(mailbox.to("payer@example.com")) == 2
    alerts.set_email_kinds(db.session, user.id, set())
    db.session.commit()
    assert detect_recurring_job(household, "2025-06-28")["emails"] == 0


def test_a_private_accounts_bills_alert_its_owner_only(ctx):
    owner, partner = make_user(), make_user("sam@example.com")
    household = scope_of(owner).household_id
    db.session.add(Membership(household_id=household, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household
    db.session.flush()
    private = make_account(scope_of(partner), "Sam's", is_private=True)
    add_monthly(private, "Therapist", "-90.00", date(2025, 1, 10), 5)
    detect_recurring(db.session, household, date(2025, 5, 20))
    sends = alerts.record_alerts(db.session, household, date(2025, 6, 8))
    assert [(s.user_id, s.kind) for s in sends] == [(partner.id, BILL_DUE)]
