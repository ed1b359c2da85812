"""The one path to a household's rows: every lookup starts from a Scope, so foreign ids are not
found, and other members' private accounts (with everything in them) do not exist for a member.

A Scope is who is looking at which household: the household, the member (None when a job works
for the household as a whole, e.g. categorizing every row), their role, and the ids of the
accounts they may not see. Services take a Scope where they used to take a user id; web routes
build it once per request (`web/scope.py`), jobs with `load_scope` or `household_scope`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.sql import ColumnElement

from finance_app.db import DbSession
from finance_app.models.household import EDITOR, OWNER, VIEWER, Membership
from finance_app.models.ledger import Account, Transaction
from finance_app.services.errors import NotFound

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    household_id: int
    member_id: int | None = None
    role: str = OWNER
    # Other members' private accounts: invisible, with their transactions, to this member.
    hidden_account_ids: frozenset[int] = frozenset()

    @property
    def can_edit(self) -> bool:
        return self.role in (OWNER, EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER

    @property
    def is_viewer(self) -> bool:
        return self.role == VIEWER

    @property
    def cache_key(self) -> str:
        """Part of a cache key: figures differ between members only by the accounts they see."""
        if not self.hidden_account_ids:
            return str(self.household_id)
        hidden = ",".join(str(i) for i in sorted(self.hidden_account_ids))
        return f"{self.household_id}-{hashlib.sha1(hidden.encode()).hexdigest()[:12]}"


def household_scope(household_id: int, acting_member_id: int | None = None) -> Scope:
    """The whole household, every account included: for jobs that serve all members.
    `acting_member_id` is who the job works for (who imported a file), stamped on new rows."""
    return Scope(household_id=int(household_id), member_id=acting_member_id)


def load_scope(session: DbSession, household_id: int, member_id: int,
               role: str | None = None) -> Scope:
    """The scope of a member of a household; NotFound when they are not a member. `role` is
    the member's role when the caller has just read their membership."""
    if role is None:
        role = session.scalar(
            select(Membership.role).where(Membership.household_id == household_id,
                                          Membership.user_id == member_id)
        )
    if role is None:
        raise NotFound()
    hidden = session.scalars(
        select(Account.id).where(
            Account.household_id == household_id, Account.is_private.is_(True),
            or_(Account.owner_id.is_(None), Account.owner_id != member_id),
        )
    ).all()
    return Scope(household_id=int(household_id), member_id=int(member_id), role=role,
                 hidden_account_ids=frozenset(int(i) for i in hidden))


def in_scope(model: Any, scope: Scope) -> list[ColumnElement[bool]]:
    """The WHERE conditions that keep `model`'s rows to what `scope` may see."""
    conditions: list[ColumnElement[bool]] = [model.household_id == scope.household_id]
    hidden = scope.hidden_account_ids
    if not hidden:
        return conditions
    if model is Account:
        conditions.append(Account.id.not_in(hidden))
    elif hasattr(model, "account_id"):
        account_id = model.account_id
        # An import batch may have no account yet (set up before choosing one).
        conditions.append(or_(account_id.is_(None), account_id.not_in(hidden))
                          if account_id.nullable else account_id.not_in(hidden))
    elif hasattr(model, "transaction_id"):
        conditions.append(model.transaction_id.not_in(
            select(Transaction.id).where(and_(Transaction.household_id == scope.household_id,
                                              Transaction.account_id.in_(hidden)))
        ))
    return conditions


def scoped(model: type[T], scope: Scope) -> Select[T]:
    """`SELECT model WHERE <in scope>`; build every list query of household data on it."""
    return select(model).where(*in_scope(model, scope))


def owned(session: DbSession, model: type[T], object_id: Any, scope: Scope) -> T:
    """The row with this id if `scope` may see it, else NotFound (a 404)."""
    try:
        key = model.id.type.python_type(object_id)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    row = session.scalars(scoped(model, scope).where(model.id == key)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound()
    return row


def scope_filter(model: Any, scope: Scope) -> ColumnElement[bool]:
    """`in_scope` as one condition, for places that take a single expression."""
    return and_(*in_scope(model, scope))


# A person's own rows (notifications, sessions, audit events): keyed by the user, not a household.


def scoped_to_user(model: type[T], user_id: int) -> Select[T]:
    """`SELECT model WHERE model.user_id = user_id`."""
    return select(model).where(model.user_id == user_id)  # type: ignore[attr-defined]


def owned_by_user(session: DbSession, model: type[T], object_id: Any, user_id: int) -> T:
    """The user's own row with this id, or NotFound — also when it is someone else's."""
    try:
        key = model.id.type.python_type(object_id)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    row = session.scalars(
        scoped_to_user(model, user_id).where(model.id == key)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise NotFound()
    return row
