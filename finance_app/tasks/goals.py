"""Goal jobs: record milestones reached (after an import, a goal's edit, nightly) and email each
announced one, once, to the members who want it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.goal import Goal, GoalMilestone
from finance_app.models.job import Job
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.goals.milestones import evaluate_milestones, milestone_message
from finance_app.services.households import list_members
from finance_app.services.ledger.periods import user_today


def evaluate_milestones_later(household_id: int) -> Job:
    """Call after an import or an edit has been committed; re-running it is harmless."""
    return enqueue(evaluate_milestones_job, household_id, household_id=household_id,
                   name="goal_milestones", description="Checking goals")


def household_today(household_id: int) -> date:
    """Today where the household's first owner lives."""
    members = list_members(db.session, household_id)
    return user_today(members[0].user.timezone if members else None)


def announced(milestones: list[GoalMilestone]) -> list[GoalMilestone]:
    """The one milestone per goal that was announced: the highest newly reached."""
    highest: dict[int, GoalMilestone] = {}
    for milestone in milestones:
        best = highest.get(milestone.goal_id)
        if best is None or milestone.percent > best.percent:
            highest[milestone.goal_id] = milestone
    return sorted(highest.values(), key=lambda m: m.id)


def evaluate_milestones_job(household_id: int, today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else household_today(household_id)
    milestones = evaluate_milestones(db.session, household_id, day)
    db.session.commit()
    sent = sum(send_milestone_email(m.id)["sent"] for m in announced(milestones))
    return {"milestones": len(milestones), "emails": sent}


def email_new_milestones(milestones: list[GoalMilestone]) -> None:
    """After a page committed new milestones: email them through a job (a request never sends)."""
    for milestone in announced(milestones):
        if _recipients(milestone.household_id):
            enqueue(send_milestone_email, milestone.id, household_id=milestone.household_id,
                    name="goal_milestone_email", description="Emailing a goal milestone")


def _recipients(household_id: int) -> list[User]:
    return [m.user for m in list_members(db.session, household_id) if m.user.notify_goal_email]


def send_milestone_email(milestone_id: int) -> dict:
    """Email one milestone; re-running it is harmless (emailed_at marks it sent)."""
    milestone = db.session.get(GoalMilestone, milestone_id)
    if milestone is None or milestone.emailed_at is not None:
        return {"sent": 0}
    recipients = _recipients(milestone.household_id)
    goal = db.session.get(Goal, milestone.goal_id)
    if not recipients or goal is None:
        return {"sent": 0}
    subject, body = milestone_message(goal.name, milestone.percent)
    for user in recipients:
        send_email(user.email, subject, "goal_milestone", user=user, goal=goal,
                   milestone=milestone, message=body,
                   link=external_url("goals.detail", goal_id=goal.id),
                   settings_link=external_url("settings.profile"))
    milestone.emailed_at = utcnow()
    db.session.commit()
    return {"sent": len(recipients)}


def evaluate_all_milestones() -> dict:
    """Nightly: balances grow and months end without any write; check every household with
    goals, one at a time (a later failure keeps the earlier ones)."""
    households = list(db.session.scalars(
        select(Goal.household_id).group_by(Goal.household_id).order_by(Goal.household_id)))
    milestones = emails = 0
    for household_id in households:
        result = evaluate_milestones_job(household_id)
        milestones, emails = milestones + result["milestones"], emails + result["emails"]
    return {"households": len(households), "milestones": milestones, "emails": emails}
