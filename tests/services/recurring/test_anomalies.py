"""Anomaly flags: saved once per occurrence however often the job runs, a dismissed pattern is
never flagged again, a charge after a cancelled subscription is flagged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.recurring import AnomalyFlag
from finance_app.services.errors import NotFound
from finance_app.services.recurring import anomalies, series
from finance_app.services.recurring.detection import detect_recurring
from tests.factories import make_account, make_txn, make_user, scope_of
from tests.services.recurring.conftest import add_monthly

TODAY = date(2025, 6, 20)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(AnomalyFlag))


def test_a_duplicate_is_flagged_once_and_a_dismissed_pattern_never_again(ctx):
    user = make_user()
    checking = make_account(user, "Checking")
    make_txn(checking, "-45.00", date(2025, 6, 10), "Gadget Hub")
    make_txn(checking, "-45.00", date(2025, 6, 11), "Gadget Hub")
    household = scope_of(user).household_id
    assert anomalies.detect_anomalies(db.session, household, TODAY) == 1
    assert anomalies.detect_anomalies(db.session, household, TODAY) == 0
    flag = anomalies.list_flags(db.session, scope_of(user))[0]
    assert flag.kind == "duplicate" and "charged twice?" in flag.reason
    anomalies.dismiss_flag(db.session, scope_of(user), flag.id, user.id)
    assert anomalies.list_flags(db.session, scope_of(user)) == []
    # The same pattern again (same merchant and amount): not flagged.
    make_txn(checking, "-45.00", date(2025, 6, 18), "Gadget Hub")
    make_txn(checking, "-45.00", date(2025, 6, 19), "Gadget Hub")
    assert anomalies.detect_anomalies(db.session, household, TODAY) == 0
    assert _count() == 1


def test_a_charge_after_a_cancelled_subscription(ctx):
    user = make_user()
    checking = make_account(user, "Checking")
    add_monthly(checking, "Spotify", "-11.99", date(2025, 1, 9), 4)  # Jan..Apr
    household = scope_of(user).household_id
    detect_recurring(db.session, household, date(2025, 4, 20))
    spotify = series.list_series(db.session, scope_of(user))[0]
    series.cancel_series(db.session, scope_of(user), spotify.id)
    make_txn(checking, "-11.99", date(2025, 6, 9), "Spotify")
    detect_recurring(db.session, household, TODAY)
    assert anomalies.detect_anomalies(db.session, household, TODAY) == 1
    flag = anomalies.list_flags(db.session, scope_of(user))[0]
    assert flag.kind == "after_cancel"
    assert "after you marked the subscription cancelled" in flag.reason
    assert "9 April 2025" in flag.reason


def test_a_flag_of_another_household_is_not_found(ctx):
    owner, stranger = make_user(), make_user("eve@example.com")
    checking = make_account(owner, "Checking")
    make_txn(checking, "-45.00", TODAY - timedelta(days=3), "Gadget Hub")
    make_txn(checking, "-45.00", TODAY - timedelta(days=2), "Gadget Hub")
    anomalies.detect_anomalies(db.session, scope_of(owner).household_id, TODAY)
    flag = anomalies.list_flags(db.session, scope_of(owner))[0]
    with pytest.raises(NotFound):
        anomalies.dismiss_flag(db.session, scope_of(stranger), flag.id)
    assert anomalies.list_flags(db.session, scope_of(stranger)) == []
