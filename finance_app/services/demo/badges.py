"""The demo household's badges: awarded from the data the other seeders created, like the
nightly job would (so the badges page and the dashboard's card have something to show)."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.models.user import User
from finance_app.services.badges.evaluation import award_badges
from finance_app.services.households.membership import member_scope
from finance_app.services.ledger.periods import user_today


def seed_demo_badges(session: DbSession, user: User) -> str:
    """Idempotent: badges already awarded stay, nothing is awarded twice."""
    scope = member_scope(session, user)
    awards = award_badges(session, scope.household_id, user_today(user.timezone))
    return f"Badges: {len(awards)} awarded" if awards else "Badges: kept"
