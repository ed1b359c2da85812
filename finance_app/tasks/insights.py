"""Insight jobs: regenerate a household's saving recommendations after an import and weekly."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.household import Household
from finance_app.models.job import Job
from finance_app.services.households import list_members
from finance_app.services.households.membership import shared_scope
from finance_app.services.insights.store import refresh_insights
from finance_app.services.ledger.periods import user_today


def refresh_insights_later(household_id: int, user_id: int | None = None) -> Job:
    """Call once a write has been committed; running it twice changes nothing."""
    return enqueue(refresh_insights_job, household_id, user_id=user_id,
                   household_id=household_id, name="insights",
                   description="Looking for savings")


def refresh_insights_job(household_id: int) -> dict:
    """Recommendations from the accounts every member sees (private accounts left out, since
    the recommendations are shown to the whole household), in the first owner's currency."""
    members = list_members(db.session, household_id)
    first = members[0].user if members else None
    result = refresh_insights(db.session, shared_scope(db.session, household_id),
                              (first.base_currency if first else None) or "USD",
                              user_today(first.timezone if first else None))
    db.session.commit()
    return {"added": result.added, "updated": result.updated, "removed": result.removed}


def refresh_all_insights() -> dict:
    """Weekly: months end and trends move without any write."""
    households = list(db.session.scalars(select(Household.id).order_by(Household.id)))
    for household_id in households:
        refresh_insights_job(household_id)
    return {"households": len(households)}
