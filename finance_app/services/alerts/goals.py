"""Goal milestones through the alert channels: services/goals records each of 25/50/75/100 %
once (and puts it under the bell); this makes an alert per member of the highest one a goal
reached on a day, so email, SMS and webhooks ("goal reached" at 100 %) follow the member's
choices. Key: goal and milestone."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.goal import Goal, GoalMilestone
from finance_app.models.recurring import GOAL_MILESTONE, GOAL_REACHED
from finance_app.services.alerts.base import LOOKBACK_DAYS, Alert
from finance_app.services.goals.milestones import milestone_message
from finance_app.services.scope import Scope


def list_goal_alerts(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    rows = session.execute(
        select(GoalMilestone, Goal.name).join(Goal, Goal.id == GoalMilestone.goal_id)
        .where(GoalMilestone.household_id == scope.household_id,
               GoalMilestone.reached_on >= today - timedelta(days=LOOKBACK_DAYS),
               GoalMilestone.emailed_at.is_(None))  # emailed_at: one the old path sent
        .order_by(GoalMilestone.goal_id, GoalMilestone.percent)).all()
    # Passing 25 and 50 % at once is announced once, with the highest (as under the bell).
    highest: dict[tuple[int, date], tuple[GoalMilestone, str]] = {}
    for milestone, name in rows:
        highest[(milestone.goal_id, milestone.reached_on)] = (milestone, name)
    alerts = []
    for milestone, name in highest.values():
        title, body = milestone_message(name, milestone.percent)
        alerts.append(Alert(
            GOAL_MILESTONE, f"{GOAL_MILESTONE}:{milestone.goal_id}:{milestone.percent}",
            title, body, link=f"/goals/{milestone.goal_id}",
            event=GOAL_REACHED if milestone.percent >= 100 else None,
            payload={"goal_id": milestone.goal_id, "goal": name,
                     "percent": milestone.percent}, in_app=False))
    return alerts
