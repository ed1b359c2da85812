"""Milestones of goals (25, 50, 75 and 100 % saved), each celebrated exactly once.

A milestone is a row unique per (goal, percent), inserted with ON CONFLICT DO NOTHING, so
evaluating again, or twice at the same time, never records or announces one twice; a goal whose
saving falls back keeps the milestones it reached. Progress is the household's as every member
sees it (`list_goal_progress`: private accounts count nothing), since every member is told.
A goal passing several milestones at once is announced once, with the highest. The confetti
shows on the next page a member of the household opens (`take_celebration`), once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from finance_app.db import DbSession, utcnow
from finance_app.models.goal import MILESTONE_PERCENTS, Goal, GoalMilestone
from finance_app.services.goals.progress import list_goal_progress
from finance_app.services.households.membership import list_members
from finance_app.services.notifications import notify
from finance_app.services.scope import Scope, scoped

KIND = "goal.milestone"


def reached_percents(percent: Decimal) -> list[int]:
    return [p for p in MILESTONE_PERCENTS if percent >= p]


def _record(session: DbSession, household_id: int, goal_id: int, percent: int,
            today: date) -> int | None:
    """Insert the milestone unless it exists; its id when this call created it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(GoalMilestone)
        .values(household_id=household_id, goal_id=goal_id, percent=percent, reached_on=today,
                created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["goal_id", "percent"])
        .returning(GoalMilestone.id)
    )
    return session.execute(stmt).scalar()


def milestone_message(name: str, percent: int) -> tuple[str, str]:
    if percent >= 100:
        return f"{name}: goal reached!", f"You have saved everything “{name}” needs. Well done."
    return (f"{name}: {percent}% saved",
            f"“{name}” is {percent}% of the way there. Keep it going.")


def evaluate_milestones(session: DbSession, household_id: int,
                        today: date) -> list[GoalMilestone]:
    """Record milestones newly reached by the household's goals and notify every member in the
    app (the caller commits, then emails them). Returns the new milestones."""
    reached = {p.goal_id: reached_percents(p.percent)
               for p in list_goal_progress(session, household_id, today)}
    reached = {goal_id: percents for goal_id, percents in reached.items() if percents}
    if not reached:
        return []
    known = {(goal_id, percent) for goal_id, percent in session.execute(
        select(GoalMilestone.goal_id, GoalMilestone.percent)
        .where(GoalMilestone.household_id == household_id))}
    new_ids: list[int] = []
    members = None
    for goal_id, percents in reached.items():
        created = [(p, row_id) for p in percents if (goal_id, p) not in known
                   and (row_id := _record(session, household_id, goal_id, p, today))]
        if not created:
            continue
        new_ids.extend(row_id for _, row_id in created)
        goal = session.get(Goal, goal_id)
        assert goal is not None
        title, body = milestone_message(goal.name, max(p for p, _ in created))
        members = members if members is not None else list_members(session, household_id)
        for member in members:
            notify(session, member.user_id, KIND, title, body, f"/goals/{goal_id}")
    session.flush()
    if not new_ids:
        return []
    return list(session.scalars(select(GoalMilestone).where(GoalMilestone.id.in_(new_ids))
                                .order_by(GoalMilestone.goal_id, GoalMilestone.percent)))


def list_milestones(session: DbSession, scope: Scope, goal_id: int) -> list[GoalMilestone]:
    return list(session.scalars(scoped(GoalMilestone, scope)
                                .where(GoalMilestone.goal_id == goal_id)
                                .order_by(GoalMilestone.percent)))


@dataclass(frozen=True)
class Celebration:
    goal_id: int
    goal_name: str
    percent: int


def take_celebration(session: DbSession, scope: Scope) -> Celebration | None:
    """The household's highest milestone not celebrated yet, or None; every pending one is
    marked celebrated, so the confetti of the next page view shows once. The caller commits."""
    pending = session.execute(
        select(GoalMilestone.goal_id, Goal.name, GoalMilestone.percent)
        .join(Goal, Goal.id == GoalMilestone.goal_id)
        .where(GoalMilestone.household_id == scope.household_id,
               GoalMilestone.celebrated_at.is_(None))
        .order_by(GoalMilestone.percent.desc(), GoalMilestone.id.desc()).limit(1)).first()
    if pending is None:
        return None
    session.execute(
        update(GoalMilestone)
        .where(GoalMilestone.household_id == scope.household_id,
               GoalMilestone.celebrated_at.is_(None))
        .values(celebrated_at=utcnow()))
    return Celebration(int(pending[0]), str(pending[1]), int(pending[2]))
