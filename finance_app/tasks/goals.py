"""Goal jobs: record milestones reached (after an import, a goal's edit, nightly) and send each
announced one, once, on the channels each member chose for goal milestones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.goal import Goal, GoalMilestone
from finance_app.models.job import Job
from finance_app.models.recurring import GOAL_MILESTONE
from finance_app.services.goals.milestones import evaluate_milestones
from finance_app.tasks.alerts import household_today, send_alerts_job, send_alerts_later


def evaluate_milestones_later(household_id: int) -> Job:
    """Call after an import or an edit has been committed; re-running it is harmless."""
    return enqueue(evaluate_milestones_job, household_id, household_id=household_id,
                   name="goal_milestones", description="Checking goals")


def evaluate_milestones_job(household_id: int, today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else household_today(household_id)
    milestones = evaluate_milestones(db.session, household_id, day)
    db.session.commit()
    sent = send_alerts_job(household_id, day.isoformat(), [GOAL_MILESTONE])
    return {"milestones": len(milestones), "emails": sent["emails"]}


def email_new_milestones(milestones: list[GoalMilestone]) -> None:
    """After a page committed new milestones: send them on each member's channels through a
    job (a request never sends)."""
    for household_id in sorted({m.household_id for m in milestones}):
        send_alerts_later(household_id, [GOAL_MILESTONE])


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
