"""The request's Scope: the signed-in member looking at their current household, built once."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from finance_app.extensions import db
from finance_app.services.households.membership import current_membership
from finance_app.services.scope import Scope, load_scope


def current_scope() -> Scope:
    """What the signed-in member may see and do in their current household (cached on `g`)."""
    scope = g.get("scope")
    if scope is None:
        membership = current_membership(db.session, current_user)
        scope = load_scope(db.session, membership.household_id, current_user.id)
        g.scope = scope
        g.household = membership.household
    return scope  # type: ignore[no-any-return]


def current_household_name() -> str:
    current_scope()
    return str(g.household.name)
