"""Milestones at 25, 50, 75 and 100 %: each recorded and announced once however often evaluated,
never for another household; the confetti taken once; the email sent once to members who opted
in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import GoalMilestone, Notification
from finance_app.models.household import EDITOR, Membership
from finance_app.services.goals import milestones, records
from finance_app.tasks.alerts import send_alerts_job
from finance_app.tasks.goals import evaluate_milestones_job
from tests.factories import make_account, make_user, scope_of

TODAY = date(2026, 7, 15)


def _goal(user, saved="600", target="1000", name="Trip"):
    scope = scope_of(user)
    account = make_account(scope, f"{name} savings", type="savings",
                           opening_balance=Decimal(saved))
    goal = records.create_goal(db.session, scope, records.GoalInput(
        name, Decimal(target), "vacation", links=[records.LinkInput(account.id)]), TODAY)
    return scope, goal


def _notes(user_id):
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user_id, Notification.kind == milestones.KIND)))


def test_each_milestone_once_however_often_evaluated(ctx):
    user = make_user()
    scope, goal = _goal(user)
    first = milestones.evaluate_milestones(db.session, scope.household_id, TODAY)
    assert [(m.goal_id, m.percent, m.reached_on) for m in first] == [
        (goal.id, 25, TODAY), (goal.id, 50, TODAY)]
    # Two milestones at once are announced once, with the highest.
    assert _notes(user.id) == ["Trip: 50% saved"]
    for _ in range(3):
        assert milestones.evaluate_milestones(db.session, scope.household_id, TODAY) == []
    assert _notes(user.id) == ["Trip: 50% saved"]
    records.add_contribution(db.session, scope, goal.id, Decimal("400"), TODAY, TODAY)
    later = milestones.evaluate_milestones(db.session, scope.household_id, TODAY)
    assert [m.percent for m in later] == [75, 100]
    assert _notes(user.id) == ["Trip: 50% saved", "Trip: goal reached!"]
    # Falling back below a milestone and rising again never repeats it.
    records.add_contribution(db.session, scope, goal.id, Decimal("-800"), TODAY, TODAY)
    assert milestones.evaluate_milestones(db.session, scope.household_id, TODAY) == []
    records.add_contribution(db.session, scope, goal.id, Decimal("800"), TODAY, TODAY)
    assert milestones.evaluate_milestones(db.session, scope.household_id, TODAY) == []
    assert db.session.scalar(select(func.count()).select_from(GoalMilestone)) == 4


def test_never_for_another_household(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _, bobs_goal = _goal(bob, saved="900", name="Bob's car")
    alice_scope, _ = _goal(alice, saved="100")
    assert milestones.evaluate_milestones(db.session, alice_scope.household_id, TODAY) == []
    assert db.session.scalar(select(func.count()).select_from(GoalMilestone)) == 0
    assert _notes(bob.id) == [] and _notes(alice.id) == []
    found = milestones.evaluate_milestones(db.session, scope_of(bob).household_id, TODAY)
    assert {m.goal_id for m in found} == {bobs_goal.id} and _notes(alice.id) == []


def test_every_member_is_told_and_the_confetti_shows_once(ctx):
    owner = make_user()
    partner = make_user("partner@example.com", name="Sam")
    scope, goal = _goal(owner, saved="300")
    db.session.add(Membership(household_id=scope.household_id, user_id=partner.id, role=EDITOR))
    db.session.flush()
    milestones.evaluate_milestones(db.session, scope.household_id, TODAY)
    assert _notes(owner.id) == _notes(partner.id) == ["Trip: 25% saved"]
    records.add_contribution(db.session, scope, goal.id, Decimal("500"), TODAY, TODAY)
    milestones.evaluate_milestones(db.session, scope.household_id, TODAY)
    assert milestones.take_celebration(db.session, scope) == milestones.Celebration(
        goal.id, "Trip", 75)
    assert milestones.take_celebration(db.session, scope) is None
    other = scope_of(make_user("carol@example.com"))
    assert milestones.take_celebration(db.session, other) is None


def test_the_job_emails_opted_in_members_once(app, mailbox):
    with app.app_context():
        owner = make_user()
        partner = make_user("partner@example.com", name="Sam")
        partner.notify_goal_email = False
        scope, goal = _goal(owner, saved="500", name="Lisbon")
        db.session.add(Membership(household_id=scope.household_id, user_id=partner.id,
                                  role=EDITOR))
        db.session.commit()
        result = evaluate_milestones_job(scope.household_id, TODAY.isoformat())
        assert result == {"milestones": 2, "emails": 1}
        [message] = mailbox.messages
        assert message["Subject"] == "Lisbon: 50% saved" and "alice@example.com" in message["To"]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert f"http://localhost/goals/{goal.id}" in body and "50%" in body
        # Through the alert channels: once per member and milestone, the highest of the day.
        assert send_alerts_job(scope.household_id, TODAY.isoformat())["emails"] == 0
        assert evaluate_milestones_job(scope.household_id, TODAY.isoformat()) == {
            "milestones": 0, "emails": 0}
        assert len(mailbox.messages) == 1
