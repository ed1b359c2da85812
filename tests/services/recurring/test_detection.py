"""Detection persisted: series saved once, a member's confirmation, edits, merges and dismissals
kept by later runs; private accounts stay private."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.recurring import (
    CONFIRMED,
    DISMISSED,
    MONTHLY,
    SUBSCRIPTION,
    RecurringSeries,
)
from finance_app.services.errors import NotFound
from finance_app.services.recurring import series as records
from finance_app.services.recurring.detection import detect_recurring
from finance_app.services.scope import household_scope
from tests.factories import make_account, make_user, scope_of
from tests.services.recurring.conftest import add_monthly, netflix_household

TODAY = date(2025, 6, 20)


def _names(scope) -> list[str]:
    return [s.merchant for s in records.list_series(db.session, scope)]


def test_detection_saves_each_series_once(ctx):
    user = make_user()
    netflix_household(user)
    first = detect_recurring(db.session, scope_of(user).household_id, TODAY)
    again = detect_recurring(db.session, scope_of(user).household_id, TODAY)
    assert (first.found, first.created) == (2, 2)
    assert (again.found, again.created) == (2, 0)
    assert db.session.scalar(select(func.count()).select_from(RecurringSeries)) == 2
    netflix = next(s for s in records.list_series(db.session, scope_of(user))
                   if s.merchant == "Netflix")
    assert (netflix.interval, netflix.kind) == (MONTHLY, SUBSCRIPTION)
    assert netflix.expected_amount == Decimal("-15.49")
    assert netflix.next_due == date(2025, 7, 3)
    assert netflix.currency == "USD"


def test_a_dismissed_series_stays_dismissed(ctx):
    user = make_user()
    checking = netflix_household(user)
    household = scope_of(user).household_id
    detect_recurring(db.session, household, TODAY)
    landlord = next(s for s in records.list_series(db.session, scope_of(user))
                    if s.merchant == "Landlord")
    records.dismiss_series(db.session, scope_of(user), landlord.id)
    add_monthly(checking, "Landlord", "-1200.00", date(2025, 7, 1), 1)
    detect_recurring(db.session, household, date(2025, 7, 5))
    assert _names(scope_of(user)) == ["Netflix"]
    assert db.session.get(RecurringSeries, landlord.id).status == DISMISSED
    records.restore_series(db.session, scope_of(user), landlord.id)
    assert sorted(_names(scope_of(user))) == ["Landlord", "Netflix"]


def test_a_members_edit_survives_detection(ctx):
    user = make_user()
    netflix_household(user)
    household = scope_of(user).household_id
    detect_recurring(db.session, household, TODAY)
    netflix = next(s for s in records.list_series(db.session, scope_of(user))
                   if s.merchant == "Netflix")
    records.update_series(db.session, scope_of(user), netflix.id, records.SeriesInput(
        merchant="Netflix (family)", amount=Decimal("22.99"), interval=MONTHLY,
        kind=SUBSCRIPTION))
    detect_recurring(db.session, household, TODAY)
    saved = db.session.get(RecurringSeries, netflix.id)
    assert saved.merchant == "Netflix (family)"
    assert saved.expected_amount == Decimal("-22.99")
    assert saved.status == CONFIRMED


def test_merging_two_names_makes_one_series_that_detection_keeps(ctx):
    user = make_user()
    checking = make_account(user, "Checking")
    add_monthly(checking, "Hulu", "-7.99", date(2025, 1, 8), 3)
    add_monthly(checking, "Hulu Plus", "-7.99", date(2025, 4, 8), 3)
    household = scope_of(user).household_id
    detect_recurring(db.session, household, TODAY)
    scope = scope_of(user)
    old, new = sorted(records.list_series(db.session, scope), key=lambda s: s.merchant)
    merged = records.merge_series(db.session, scope, new.id, old.id)
    assert merged.aliases == ["hulu"]
    assert merged.first_seen == date(2025, 1, 8)
    assert merged.occurrences == 6
    detect_recurring(db.session, household, TODAY)
    assert _names(scope) == ["Hulu Plus"]


def test_merging_series_of_different_accounts_is_refused(ctx):
    user = make_user()
    a, b = make_account(user, "A"), make_account(user, "B")
    add_monthly(a, "Gym", "-30.00", date(2025, 1, 8), 4)
    add_monthly(b, "Yoga", "-30.00", date(2025, 1, 8), 4)
    detect_recurring(db.session, scope_of(user).household_id, TODAY)
    gym, yoga = sorted(records.list_series(db.session, scope_of(user)), key=lambda s: s.merchant)
    with pytest.raises(records.MergeRefused):
        records.merge_series(db.session, scope_of(user), gym.id, yoga.id)


def test_a_series_added_by_hand(ctx):
    user = make_user()
    scope = scope_of(user)
    added = records.add_series(db.session, scope, records.SeriesInput(
        merchant="Window cleaner", amount=Decimal("40"), interval="quarterly", kind="bill",
        next_due=date(2025, 7, 15)))
    assert added.expected_amount == Decimal("-40")
    assert added.anchors == [15]
    detect_recurring(db.session, scope.household_id, TODAY)
    assert _names(scope) == ["Window cleaner"]
    with pytest.raises(records.SeriesInvalid):
        records.add_series(db.session, scope, records.SeriesInput(
            merchant="Window cleaner", amount=Decimal("40"), interval="quarterly", kind="bill",
            next_due=date(2025, 7, 15)))
    with pytest.raises(records.SeriesInvalid):
        records.add_series(db.session, scope, records.SeriesInput(
            merchant="Nothing", amount=Decimal("0"), interval="monthly", kind="bill",
            next_due=date(2025, 7, 15)))


def test_another_households_series_is_not_found(ctx):
    owner, stranger = make_user(), make_user("eve@example.com")
    netflix_household(owner)
    detect_recurring(db.session, scope_of(owner).household_id, TODAY)
    series_id = records.list_series(db.session, scope_of(owner))[0].id
    for action in (records.get_series, records.dismiss_series, records.confirm_series,
                   records.cancel_series):
        with pytest.raises(NotFound):
            action(db.session, scope_of(stranger), series_id)
    assert records.list_series(db.session, scope_of(stranger)) == []


def test_a_private_accounts_series_is_seen_by_its_owner_only(ctx):
    from finance_app.models.household import EDITOR, Membership

    owner, partner = make_user(), make_user("sam@example.com")
    household = scope_of(owner).household_id
    db.session.add(Membership(household_id=household, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household
    db.session.flush()
    private = make_account(scope_of(partner), "Sam's", is_private=True)
    add_monthly(private, "Therapist", "-90.00", date(2025, 1, 10), 5)
    netflix_household(owner)
    detect_recurring(db.session, household, TODAY)
    assert "Therapist" in _names(scope_of(partner))
    assert "Therapist" not in _names(scope_of(owner))
    assert len(records.list_series(db.session, household_scope(household))) == 3
