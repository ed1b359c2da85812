"""Goals pages: add, edit and delete a goal (bad input, a foreign account id included, changes
nothing), contributions, the what-if as a plain GET form (full page, or its block for HTMX),
recommendations from the ledger, the confetti on the next page view only, a viewer's writes
refused."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import (
    Goal,
    GoalAccount,
    GoalContribution,
    GoalMilestone,
    Membership,
    User,
)
from finance_app.models.household import VIEWER
from finance_app.services.goals import records
from finance_app.services.goals.projection import add_months
from tests.factories import (
    household_of,
    make_account,
    make_category,
    make_txn,
    make_user,
    scope_of,
)

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()
FORM = {"name": "Emergency fund", "kind": "emergency_fund", "target_amount": "12,000.00",
        "currency": "USD", "target_date": NEXT_YEAR, "notes": ""}


def _count(app, model=Goal) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _savings(app, user_id, balance="3000", name="Savings") -> int:
    with app.app_context():
        account = make_account(scope_of(user_id), name, type="savings",
                               opening_balance=Decimal(balance))
        db.session.commit()
        return account.id


def _goal(app, user_id, target="1000", **kwargs) -> int:
    with app.app_context():
        goal = records.create_goal(db.session, scope_of(user_id), records.GoalInput(
            kwargs.pop("name", "Trip"), Decimal(target), **kwargs), date.today())
        db.session.commit()
        return goal.id


def test_empty_household(client, user_id):
    page = client.get("/goals/").get_data(as_text=True)
    assert "No goals yet" in page and "Add your first goal" in page


def test_add_edit_and_delete_a_goal(app, client, user_id):
    savings = _savings(app, user_id)
    added = client.post_form("/goals/new", {**FORM, "account_ids": str(savings),
                                            f"amount_{savings}": "2,500.00"}, page="/goals/new")
    assert added.status_code == 303
    with app.app_context():
        goal = db.session.scalar(select(Goal))
        assert (goal.target_amount, goal.kind, goal.household_id) == (
            Decimal("12000"), "emergency_fund", household_of(user_id))
        assert [(link.account_id, link.amount) for link in goal.links] == [
            (savings, Decimal("2500"))]
        goal_id = goal.id
    assert added.headers["Location"].endswith(f"/goals/{goal_id}")
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "$2,500.00" in page and "20.83% saved" in page
    listing = client.get("/goals/").get_data(as_text=True)
    assert "Emergency fund" in listing and "$2,500.00" in listing

    edited = client.post_form(f"/goals/{goal_id}/edit", {**FORM, "name": "Rainy day",
                                                         "account_ids": str(savings)},
                              page=f"/goals/{goal_id}/edit")
    assert edited.status_code == 303
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        assert goal.name == "Rainy day" and goal.links[0].amount is None
    assert "$3,000.00" in client.get(f"/goals/{goal_id}").get_data(as_text=True)

    deleted = client.post_form(f"/goals/{goal_id}/delete", page=f"/goals/{goal_id}/delete")
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith("/goals/")
    assert (_count(app), _count(app, GoalAccount)) == (0, 0)


@pytest.mark.parametrize(("changes", "message"), [
    ({"target_amount": "-100"}, "The target must be more than zero."),
    ({"target_amount": "0"}, "The target must be more than zero."),
    ({"target_amount": "lots"}, "Enter an amount such as 12000.00."),
    ({"target_date": "2020-01-01"}, "The target date is in the past"),
    ({"account_ids": "SAVINGS", "amount_SAVINGS": "-5"}, "must be more than zero"),
    ({"account_ids": "SAVINGS", "amount_SAVINGS": "abc"}, "Enter the set amount as a number"),
    ({"account_ids": "FOREIGN"}, "not one of this household&#39;s accounts"),
    ({"account_ids": "99999999"}, "not one of this household&#39;s accounts"),
])
def test_bad_input_gets_a_message_and_changes_nothing(app, client, user_id, changes, message):
    savings = _savings(app, user_id)
    with app.app_context():
        stranger = make_user("bob@example.com")
        foreign = make_account(scope_of(stranger), "Bob's", type="savings")
        db.session.commit()
        foreign_id = foreign.id
    data = {**FORM}
    for key, value in changes.items():
        key = key.replace("SAVINGS", str(savings))
        data[key] = value.replace("SAVINGS", str(savings)).replace("FOREIGN", str(foreign_id))
    response = client.post_form("/goals/new", data, page="/goals/new")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (_count(app), _count(app, GoalAccount)) == (0, 0)


def test_every_problem_is_shown_at_once(app, client, user_id):
    savings = _savings(app, user_id)
    response = client.post_form("/goals/new", {
        **FORM, "target_amount": "-5", "target_date": "2020-01-01",
        "account_ids": str(savings), f"amount_{savings}": "-1"}, page="/goals/new")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The target must be more than zero." in text
    assert "The target date is in the past" in text
    assert "A set amount must be more than zero" in text
    assert _count(app) == 0


def test_contributions_reach_a_milestone_and_celebrate_once(app, client, user_id):
    goal_id = _goal(app, user_id, target="400")
    bad = client.post_form(f"/goals/{goal_id}/contributions",
                           {"amount": "0", "day": date.today().isoformat()}, page="/goals/")
    assert bad.status_code == 422 and "other than zero" in bad.get_data(as_text=True)
    assert _count(app, GoalContribution) == 0
    added = client.post_form(f"/goals/{goal_id}/contributions",
                             {"amount": "210.00", "day": date.today().isoformat(),
                              "note": "Birthday money"}, page="/goals/")
    assert added.status_code == 303
    with app.app_context():
        assert sorted(db.session.scalars(select(GoalMilestone.percent))) == [25, 50]
    first = client.get("/goals/").get_data(as_text=True)
    assert first.count('id="goal-celebration"') == 1 and "50% of the way there" in first
    assert "canvas-confetti/confetti.browser.js" in first
    assert 'id="goal-celebration"' not in client.get("/goals/").get_data(as_text=True)
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "Birthday money" in page and "$210.00" in page and "50% — reached" in page
    with app.app_context():
        contribution_id = db.session.scalar(select(GoalContribution.id))
    removed = client.post_form(f"/goals/{goal_id}/contributions/{contribution_id}/delete",
                               page="/goals/")
    assert removed.status_code == 303 and _count(app, GoalContribution) == 0


def test_what_if_is_a_get_form_and_an_htmx_block(app, client, user_id):
    in_a_year = date.today() + timedelta(days=366)
    goal_id = _goal(app, user_id, target="1200", target_date=in_a_year)
    full = client.get(f"/goals/{goal_id}?monthly=100&by=")
    html = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in html
    assert "Saving <strong class=\"amount\">$100.00</strong> a month" in html
    assert "(in 12 months)" in html
    fragment = client.get(f"/goals/{goal_id}?monthly=300", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.strip().startswith('<div id="goal-whatif"')
    assert "(in 4 months)" in body
    bad = client.get(f"/goals/{goal_id}?monthly=-5&by=2001-01-01")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "The monthly amount must be zero or more." in text and "in the past" in text


def test_recommendations_come_from_the_households_spending(app, client, user_id):
    today = date.today()
    this_month = today.replace(day=1)
    with app.app_context():
        scope = scope_of(user_id)
        checking = make_account(scope, "Checking")
        dining = make_category(scope, "Restaurants", parent=make_category(scope, "Food"))
        for n, spent in enumerate(("400", "420", "380", "412", "450", "300"), start=1):
            month = (this_month - timedelta(days=1)).replace(day=1)
            for _ in range(n - 1):
                month = (month - timedelta(days=1)).replace(day=1)
            make_txn(checking, f"-{spent}", month + timedelta(days=9), "Bistro", category=dining)
        db.session.commit()
    by = add_months(today, 12)
    goal_id = _goal(app, user_id, target="1200", target_date=by)
    page = client.get(f"/goals/{goal_id}?monthly=20").get_data(as_text=True)
    # 1200 over 12 months needs 100.00; saving 20 leaves 80 a month to find.
    assert "Where the extra $80.00 a month could come from" in page
    assert ("trim <strong>Restaurants</strong> by <span class=\"amount\">$80.00</span>/month "
            "(your 6-month median is <span class=\"amount\">$406.00</span>)") in page
    assert f"Reach it by {by.strftime('%B %Y')}" in page


def test_foreign_goal_is_not_found(app, client, user_id):
    with app.app_context():
        bob = make_user("bob@example.com")
        goal = records.create_goal(db.session, scope_of(bob), records.GoalInput(
            "Bob's", Decimal("10")), date.today())
        db.session.commit()
        goal_id = goal.id
    assert client.get(f"/goals/{goal_id}").status_code == 404
    assert client.post_form(f"/goals/{goal_id}/delete", page="/goals/").status_code == 404
    assert _count(app) == 1


def test_viewer_reads_but_cannot_write(app, auth, client):
    owner_id = auth.create()
    goal_id = _goal(app, owner_id)
    household_id = None
    with app.app_context():
        household_id = household_of(owner_id)
        viewer = make_user("val@example.com")
        db.session.add(Membership(household_id=household_id, user_id=viewer.id, role=VIEWER))
        db.session.get(User, viewer.id).current_household_id = household_id
        db.session.commit()
    auth.login("val@example.com")
    listing = client.get("/goals/").get_data(as_text=True)
    assert "Trip" in listing and "Add goal" not in listing
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert "Record contribution" not in page and f"/goals/{goal_id}/edit" not in page
    token = client.csrf_token("/goals/")
    for path in ("/goals/new", f"/goals/{goal_id}/edit", f"/goals/{goal_id}/delete",
                 f"/goals/{goal_id}/contributions"):
        response = client.post(path, data={**FORM, "amount": "5", "csrf_token": token})
        assert response.status_code == 403, path
    assert (_count(app), _count(app, GoalContribution)) == (1, 0)
