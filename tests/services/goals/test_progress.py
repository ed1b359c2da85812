"""Progress and pace on a constructed history: what linked accounts (all of a balance or a set
amount) and contributions hold, the 3- and 6-month net saving, and where each leads, to the
cent and the day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.household import EDITOR, Membership
from finance_app.services.goals import progress, records
from tests.factories import make_account, make_txn, make_user, scope_of

TODAY = date(2026, 7, 15)


def _history(user):
    """Savings: 1000 opening, +500 on the 5th of Jan..Jul 2026, -600 on Feb 10. Checking:
    10,000 of which a set 2,000 counts. A contribution of 300 on May 20."""
    scope = scope_of(user)
    savings = make_account(scope, "Savings", type="savings", opening_balance=Decimal("1000"),
                           opening_date=date(2025, 12, 1))
    checking = make_account(scope, "Checking", opening_balance=Decimal("10000"))
    for month in range(1, 8):
        make_txn(savings, "500", date(2026, month, 5), "Transfer in")
    make_txn(savings, "-600", date(2026, 2, 10), "Withdrawal")
    goal = records.create_goal(db.session, scope, records.GoalInput(
        "Rainy day", Decimal("10000"), "emergency_fund", "USD", date(2027, 1, 15),
        links=[records.LinkInput(savings.id), records.LinkInput(checking.id, Decimal("2000"))],
    ), TODAY)
    records.add_contribution(db.session, scope, goal.id, Decimal("300"), date(2026, 5, 20),
                             TODAY)
    return scope, goal, savings, checking


def test_saved_counts_balances_set_amounts_and_contributions(ctx):
    user = make_user()
    scope, goal, savings, _ = _history(user)
    # 1000 + 7 * 500 - 600 = 3900 in savings, 2000 of checking, 300 contributed.
    assert progress.saved_on(db.session, scope, goal, TODAY) == Decimal("6200.00")
    assert progress.saved_on(db.session, scope, goal, date(2026, 3, 31)) == Decimal("3900.00")
    [found] = progress.list_goal_progress(db.session, scope.household_id, TODAY)
    assert found == progress.GoalProgress(goal.id, "Rainy day", "emergency_fund",
                                          Decimal("6200.00"), Decimal("10000"),
                                          Decimal("62.00"))
    # A set amount counts at most what the account holds; an overdrawn account counts nothing.
    make_txn(savings, "-3950", date(2026, 7, 10), "Emptied")
    assert progress.saved_on(db.session, scope, goal, TODAY) == Decimal("2300.00")


def test_paces_and_projections_to_the_cent_and_day(ctx):
    scope, goal, _, _ = _history(make_user())
    overview = progress.goal_overview(db.session, scope, goal, TODAY)
    three, six = overview.paces
    # Apr..Jun: end of March held 1900 + 2000, end of June 3400 + 2000 + 300.
    assert (three.start, three.end) == (date(2026, 3, 31), date(2026, 6, 30))
    assert (three.held_at_start, three.held_at_end) == (Decimal("3900.00"), Decimal("5700.00"))
    assert three.monthly == Decimal("600.00")
    # Jan..Jun: end of December held 1000 + 2000.
    assert (six.start, six.held_at_start) == (date(2025, 12, 31), Decimal("3000.00"))
    assert six.monthly == Decimal("450.00")
    assert overview.remaining == Decimal("3800.00")
    # 3800 over the 6 months to Jan 15 is 633.33...: rounded up.
    assert overview.required == Decimal("633.34")
    at_three, at_six = overview.outlooks
    assert (at_three.projection.months, at_three.projection.completion) == (7, date(2027, 2, 15))
    assert (at_six.projection.months, at_six.projection.completion) == (9, date(2027, 4, 15))
    assert overview.status is not None and overview.status.label == "Behind by 1 month"
    what_if = overview.what_if(Decimal("633.34"), None)
    assert what_if.projection.completion == date(2027, 1, 15) and what_if.status.on_track
    later = overview.what_if(None, date(2027, 3, 15))
    assert later.required == Decimal("475.00") and later.status.on_track


def test_percent_rounds_down_and_passes_100():
    assert progress.percent_of(Decimal("2"), Decimal("3")) == Decimal("66.66")
    assert progress.percent_of(Decimal("15"), Decimal("10")) == Decimal("150.00")
    assert progress.percent_of(Decimal("-5"), Decimal("10")) == Decimal("0")


def test_private_accounts_count_for_their_owner_only(ctx):
    owner = make_user()
    partner = make_user("partner@example.com", name="Sam")
    household_id = scope_of(owner).household_id
    db.session.add(Membership(household_id=household_id, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household_id
    db.session.flush()
    private = make_account(scope_of(partner), "Sam's savings", type="savings",
                           opening_balance=Decimal("800"), is_private=True)
    goal = records.create_goal(db.session, scope_of(partner), records.GoalInput(
        "Car", Decimal("1000"), "car", links=[records.LinkInput(private.id)]), TODAY)
    assert progress.saved_on(db.session, scope_of(partner), goal, TODAY) == Decimal("800.00")
    assert progress.saved_on(db.session, scope_of(owner), goal, TODAY) == Decimal("0.00")
    # What every member is told (badges, milestones) leaves private money out.
    [shared] = progress.list_goal_progress(db.session, household_id, TODAY)
    assert shared.saved == Decimal("0.00")
    assert progress.link_figures(db.session, scope_of(owner), goal, TODAY) == []
