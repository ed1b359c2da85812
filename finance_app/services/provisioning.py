"""What every new user starts with; each feature that needs defaults adds its step here."""

from __future__ import annotations

from sqlalchemy.orm import Session

from finance_app.models.user import User
from finance_app.services.categories import create_default_categories


def provision_user(session: Session, user: User) -> None:
    """Create a new user's default data (categories, ...). Idempotent."""
    create_default_categories(session, user.id)
