"""The request's Scope: the signed-in member looking at their current household, built once."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from finance_app.extensions import db
from finance_app.models.household import Membership
from finance_app.services.households.membership import current_membership, list_memberships
from finance_app.services.scope import Scope, load_scope


def current_scope() -> Scope:
    """What the signed-in member may see and do in their current household (cached on `g`)."""
    scope = g.get("scope")
    if scope is None:
        membership = current_membership(db.session, current_user, current_memberships())
        scope = load_scope(db.session, membership.household_id, current_user.id,
                           role=membership.role)
        g.scope = scope
        g.household = membership.household
        if not g.memberships:  # a user left with none was just given a household of their own
            g.pop("memberships")
    return scope


def current_memberships() -> list[Membership]:
    """The signed-in user's memberships with their households (one query per request)."""
    memberships = g.get("memberships")
    if memberships is None:
        memberships = g.memberships = list_memberships(db.session, current_user.id)
    return memberships


def current_household_name() -> str:
    current_scope()
    return str(g.household.name)
