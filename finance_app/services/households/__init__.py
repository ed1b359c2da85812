"""Households: the owners of all financial data, their members, roles and invitations."""

from __future__ import annotations

from finance_app.services.households.membership import (
    create_household,
    current_membership,
    list_members,
    list_memberships,
    shared_scope,
)

__all__ = [
    "create_household",
    "current_membership",
    "list_members",
    "list_memberships",
    "shared_scope",
]
