"""Goal records: bad input (a target of zero or less, a past date, a negative set amount, a
foreign or debt account, another currency, a duplicate name) gets its message and changes
nothing; links are replaced on edit; contributions belong to their goal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Goal, GoalAccount, GoalContribution
from finance_app.services.errors import NotFound
from finance_app.services.goals import records
from tests.factories import make_account, make_user, scope_of

TODAY = date(2026, 7, 15)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"target_amount": Decimal("0")}, "target_amount", "The target must be more than zero."),
    ({"target_amount": Decimal("-5")}, "target_amount", "The target must be more than zero."),
    ({"target_amount": Decimal("10.001")}, "target_amount", "more decimals than USD allows"),
    ({"target_date": date(2026, 7, 14)}, "target_date", "The target date is in the past"),
    ({"name": "  "}, "name", "A goal needs a name."),
    ({"kind": "yacht"}, "kind", "Pick a kind of goal"),
])
def test_bad_goal_input_changes_nothing(ctx, changes, field, message):
    scope = scope_of(make_user())
    data = records.GoalInput(**{"name": "Trip", "target_amount": Decimal("100"), **changes})
    with pytest.raises(records.InvalidGoal) as error:
        records.create_goal(db.session, scope, data, TODAY)
    assert error.value.field == field and message in error.value.message
    assert _count(Goal) == 0


def test_bad_links_change_nothing(ctx):
    scope = scope_of(make_user())
    savings = make_account(scope, "Savings", type="savings")
    card = make_account(scope, "Card", type="credit_card")
    euros = make_account(scope, "Euros", "EUR")
    foreign = make_account(scope_of(make_user("bob@example.com")), "Bob's savings")
    cases = [
        (records.LinkInput(savings.id, Decimal("-1")), "must be more than zero"),
        (records.LinkInput(foreign.id), "not one of this household's accounts"),
        (records.LinkInput(999_999), "not one of this household's accounts"),
        (records.LinkInput(card.id), "Card is a debt"),
        (records.LinkInput(euros.id), "Euros is in EUR"),
    ]
    for link, message in cases:
        with pytest.raises(records.InvalidGoal) as error:
            records.create_goal(db.session, scope, records.GoalInput(
                "Trip", Decimal("100"), links=[link]), TODAY)
        assert error.value.field == "accounts" and message in error.value.message
    assert (_count(Goal), _count(GoalAccount)) == (0, 0)


def test_edit_replaces_links_and_keeps_a_passed_date(ctx):
    scope = scope_of(make_user())
    savings = make_account(scope, "Savings", type="savings")
    checking = make_account(scope, "Checking")
    goal = records.create_goal(db.session, scope, records.GoalInput(
        "Trip", Decimal("100"), target_date=date(2026, 8, 1),
        links=[records.LinkInput(savings.id)]), TODAY)
    records.update_goal(db.session, scope, goal.id, records.GoalInput(
        "Trip", Decimal("150"), target_date=date(2026, 8, 1),
        links=[records.LinkInput(checking.id, Decimal("40"))]), date(2026, 9, 1))
    assert [(link.account_id, link.amount) for link in goal.links] == [
        (checking.id, Decimal("40"))]
    assert goal.target_amount == Decimal("150")
    with pytest.raises(records.InvalidGoal):  # a new date must not be in the past
        records.update_goal(db.session, scope, goal.id, records.GoalInput(
            "Trip", Decimal("150"), target_date=date(2026, 8, 2)), date(2026, 9, 1))
    records.create_goal(db.session, scope, records.GoalInput("Car", Decimal("5")), TODAY)
    with pytest.raises(records.DuplicateGoal):
        records.update_goal(db.session, scope, goal.id, records.GoalInput(
            "car", Decimal("150")), TODAY)


def test_contributions_validate_and_belong_to_their_goal(ctx):
    scope = scope_of(make_user())
    goal = records.create_goal(db.session, scope, records.GoalInput("Trip", Decimal("100")),
                               TODAY)
    other = records.create_goal(db.session, scope, records.GoalInput("Car", Decimal("100")),
                                TODAY)
    with pytest.raises(records.InvalidGoal, match="other than zero"):
        records.add_contribution(db.session, scope, goal.id, Decimal("0"), TODAY, TODAY)
    with pytest.raises(records.InvalidGoal, match="future"):
        records.add_contribution(db.session, scope, goal.id, Decimal("5"), date(2026, 7, 16),
                                 TODAY)
    assert _count(GoalContribution) == 0
    made = records.add_contribution(db.session, scope, goal.id, Decimal("25"), TODAY, TODAY)
    with pytest.raises(NotFound):
        records.delete_contribution(db.session, scope, other.id, made.id)
    with pytest.raises(NotFound):
        records.get_goal(db.session, scope_of(make_user("bob@example.com")), goal.id)
    records.delete_contribution(db.session, scope, goal.id, made.id)
    assert _count(GoalContribution) == 0
