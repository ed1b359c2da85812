"""Saved views: a named transactions filter, stored as its normalized query string."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func

from finance_app.db import DbSession
from finance_app.models.ledger import Category, SavedView
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, owned, scoped
from finance_app.services.transactions.search import TransactionFilter

MAX_VIEWS = 100


class ViewNameRequired(ValidationFailed):
    """Give the view a name (up to 80 characters)."""


class TooManyViews(ValidationFailed):
    """You have 100 saved views; delete one first."""


def save_view(session: DbSession, scope: Scope, name: str, query: str) -> SavedView:
    """Save the filters in `query` under `name`; saving an existing name replaces its filters."""
    name = " ".join((name or "").split())
    if not name or len(name) > 80:
        raise ViewNameRequired()
    normalized = TransactionFilter.from_query_string(query).to_query_string(page=False)
    view = session.scalars(
        scoped(SavedView, scope).where(func.lower(SavedView.name) == name.lower())
    ).first()
    if view is None:
        count = session.scalar(
            scoped(SavedView, scope).with_only_columns(func.count(SavedView.id))
        )
        if (count or 0) >= MAX_VIEWS:
            raise TooManyViews()
        view = SavedView(household_id=scope.household_id, name=name, query=normalized)
        session.add(view)
    else:
        view.name, view.query = name, normalized
    session.flush()
    return view


def list_views(session: DbSession, scope: Scope) -> list[SavedView]:
    return list(session.scalars(scoped(SavedView, scope).order_by(func.lower(SavedView.name))))


def get_view(session: DbSession, scope: Scope, view_id: Any) -> SavedView:
    return owned(session, SavedView, view_id, scope)


def delete_view(session: DbSession, scope: Scope, view_id: Any) -> None:
    session.delete(get_view(session, scope, view_id))
    session.flush()


def seed_demo_views(session: DbSession, scope: Scope, today: date | None = None) -> str:
    """A few useful views for the demo user; saving again by name makes this idempotent."""
    today = today or date.today()
    views = {
        f"Amazon over $100 in {today.year}": f"q=amazon&min=100&from={today.year}-01-01"
                                             f"&to={today.year}-12-31",
        "Uncategorized, last 90 days": "category=uncategorized&days=90",
        "Transfers": "kind=transfer",
        "Biggest spending this year": f"kind=expense&from={today.year}-01-01&sort=amount&dir=asc",
    }
    subscriptions = session.scalar(
        scoped(Category, scope).with_only_columns(Category.id)
        .where(Category.name == "Subscriptions").limit(1)
    )
    if subscriptions is not None:
        views["Subscriptions, last 12 months"] = f"category={subscriptions}&days=365"
    for name, query in views.items():
        save_view(session, scope, name, query)
    return f"{len(views)} saved transaction views"
