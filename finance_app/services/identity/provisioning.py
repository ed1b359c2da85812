"""What every new user and household starts with; each feature that needs defaults adds its step
here."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.models.user import User
from finance_app.services.categories import create_default_categories
from finance_app.services.scope import household_scope


def provision_household(session: DbSession, household_id: int) -> None:
    """A new household's default data (categories, ...). Idempotent."""
    create_default_categories(session, household_scope(household_id))


def provision_user(session: DbSession, user: User) -> None:
    """A new user gets a household of their own, with its defaults. Idempotent."""
    from finance_app.services.households.membership import current_membership

    current_membership(session, user)
