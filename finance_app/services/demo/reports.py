"""The demo household's tax categories: gifts as charitable, health as medical, interest as
interest income, so the tax summary report has figures at once."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.models.ledger import Category
from finance_app.models.user import User
from finance_app.services.households.membership import member_scope
from finance_app.services.reports.tax import get_mapping, save_mapping
from finance_app.services.scope import scoped

DEMO_TAX_CATEGORIES = {
    "Gifts & donations": "charitable",
    "Health": "medical",
    "Interest & dividends": "interest_income",
}


def seed_demo_tax_categories(session: DbSession, user: User) -> str:
    """Idempotent: a household that has mapped categories keeps its mapping."""
    scope = member_scope(session, user)
    if get_mapping(session, scope):
        return "tax categories: kept"
    ids = {c.name: c.id for c in session.scalars(
        scoped(Category, scope).where(Category.name.in_(DEMO_TAX_CATEGORIES)))}
    count = save_mapping(session, scope, {ids[name]: key for name, key in
                                          DEMO_TAX_CATEGORIES.items() if name in ids})
    return f"tax categories: {count} mapped"
