"""Badge jobs: award what a household's data now meets, after an import and nightly."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.jobs import enqueue, report_progress
from finance_app.models.household import Household
from finance_app.models.job import Job
from finance_app.services.badges.evaluation import award_badges
from finance_app.services.households import list_members
from finance_app.services.ledger.periods import user_today


def evaluate_badges_later(household_id: int, user_id: int | None = None) -> Job:
    """Call after an import, a sync or an edit has been committed; re-running is harmless."""
    return enqueue(evaluate_badges_job, household_id, user_id=user_id,
                   household_id=household_id, name="badges", description="Checking badges")


def _household_today(household_id: int) -> date:
    """Today where the household's first owner lives (members' months start at their
    midnight; one day of difference only delays a badge to the next run)."""
    members = list_members(db.session, household_id)
    return user_today(members[0].user.timezone if members else None)


def evaluate_badges_job(household_id: int, today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else _household_today(household_id)
    awards = award_badges(db.session, household_id, day, report_progress)
    db.session.commit()
    return {"awarded": len(awards), "keys": sorted({a.key for a in awards})}


def evaluate_all_badges() -> dict:
    """Nightly: months end, goals grow and weekends pass without any write; check every
    household."""
    households = list(db.session.scalars(select(Household.id).order_by(Household.id)))
    awarded = 0
    for household_id in households:
        awarded += len(award_badges(db.session, household_id, _household_today(household_id)))
        db.session.commit()  # one household at a time: a later failure keeps earlier awards
    return {"households": len(households), "awarded": awarded}
