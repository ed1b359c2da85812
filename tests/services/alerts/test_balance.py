"""Low balance: a cash account's ledger balance below the member's level, once per crossing
(the day it went below is the key), to the member who set the level only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import Notification
from finance_app.models.household import EDITOR, Membership
from finance_app.models.recurring import LOW_BALANCE, AlertSend
from finance_app.services.alerts import preferences
from finance_app.services.alerts.balance import crossing_day
from finance_app.services.alerts.record import record_alerts
from tests.factories import make_account, make_txn, make_user, scope_of

D = Decimal
KINDS = (LOW_BALANCE,)


def test_the_crossing_is_the_last_day_the_balance_went_below():
    # Newest first: 50 after Jun 9 (-400), 450 after Jun 8 (+400), 50 after Jun 5 (-650).
    sums = [(date(2025, 6, 9), D("-400")), (date(2025, 6, 8), D("400")),
            (date(2025, 6, 5), D("-650"))]
    start = date(2025, 1, 1)
    assert crossing_day(D("50"), sums, D("100"), start) == date(2025, 6, 9)
    assert crossing_day(D("450"), sums[1:], D("100"), start) is None
    assert crossing_day(D("50"), sums[2:], D("100"), start) == date(2025, 6, 5)
    # Below from the opening balance on: since the start.
    assert crossing_day(D("20"), [(date(2025, 2, 1), D("-10"))], D("100"), start) == start
    assert crossing_day(D("100"), [], D("100"), start) is None  # at the level is not below


def _household():
    user = make_user()
    checking = make_account(user, "Checking", opening_balance=D("700"),
                            opening_date=date(2025, 5, 1))
    make_txn(checking, "-650.00", date(2025, 6, 5), "Rent")      # 50: below
    make_txn(checking, "400.00", date(2025, 6, 8), "Salary")     # 450: back above
    make_txn(checking, "-400.00", date(2025, 6, 9), "Car")       # 50: below again
    return user, checking


def test_each_crossing_alerts_once_however_often_the_job_runs(ctx):
    user, checking = _household()
    scope = scope_of(user)
    preferences.set_balance_levels(db.session, scope, {str(checking.id): "100"})
    first = record_alerts(db.session, scope.household_id, date(2025, 6, 6), KINDS)
    assert [s.key for s in first] == [f"{LOW_BALANCE}:{checking.id}:2025-06-05"]
    assert "$50.00" in first[0].body and "$100.00" in first[0].body
    assert "$" not in first[0].title  # a text shows the title: no figures in it
    assert record_alerts(db.session, scope.household_id, date(2025, 6, 6), KINDS) == []
    assert record_alerts(db.session, scope.household_id, date(2025, 6, 7), KINDS) == []
    assert record_alerts(db.session, scope.household_id, date(2025, 6, 8), KINDS) == []  # 450
    again = record_alerts(db.session, scope.household_id, date(2025, 6, 10), KINDS)
    assert [s.key for s in again] == [f"{LOW_BALANCE}:{checking.id}:2025-06-09"]
    assert record_alerts(db.session, scope.household_id, date(2025, 6, 10), KINDS) == []
    notes = db.session.scalars(select(Notification.title).where(
        Notification.kind == f"alerts.{LOW_BALANCE}")).all()
    assert notes == ["Checking is below your alert level"] * 2


def test_only_the_member_who_set_a_level_is_told_and_levels_are_checked(ctx):
    user, checking = _household()
    partner = make_user("sam@example.com", name="Sam")
    household = scope_of(user).household_id
    db.session.add(Membership(household_id=household, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household
    db.session.flush()
    secret = make_account(scope_of(partner), "Sam's", is_private=True)
    preferences.set_balance_levels(db.session, scope_of(user),
                                   {str(checking.id): "100", str(secret.id): "5000"})
    assert preferences.balance_levels(db.session, scope_of(user)) == {checking.id: D("100")}
    sends = record_alerts(db.session, household, date(2025, 6, 6), KINDS)
    assert [(s.user_id, s.kind) for s in sends] == [(user.id, LOW_BALANCE)]
    with pytest.raises(preferences.ThresholdInvalid):
        preferences.set_balance_levels(db.session, scope_of(user), {str(checking.id): "lots"})
    preferences.set_balance_levels(db.session, scope_of(user), {str(checking.id): ""})
    assert preferences.balance_levels(db.session, scope_of(user)) == {}
    assert db.session.scalar(select(AlertSend.id).where(AlertSend.user_id == partner.id)) is None
