"""Households and their members: create, switch, roles, remove, leave, transfer, delete.

Every rule about who may change a household lives here; routes and the CLI only call it.
A household always has at least one owner, and every user always has a household (a new empty
one is made when they leave or lose their last).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager

from finance_app.db import DbSession
from finance_app.models.household import EDITOR, OWNER, ROLE_LABELS, ROLES, Household, Membership
from finance_app.models.ledger import Account, Attachment
from finance_app.models.user import User
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.identity import audit
from finance_app.services.scope import Scope

MEMBER_ROLE_CHANGED = "household.role_changed"
MEMBER_REMOVED = "household.member_removed"
MEMBER_LEFT = "household.member_left"
MEMBER_JOINED = "household.member_joined"
OWNERSHIP_TRANSFERRED = "household.ownership_transferred"
HOUSEHOLD_RENAMED = "household.renamed"
HOUSEHOLD_DELETED = "household.deleted"
audit.LABELS.update({
    MEMBER_ROLE_CHANGED: "A member's role changed",
    MEMBER_REMOVED: "A member was removed",
    MEMBER_LEFT: "A member left",
    MEMBER_JOINED: "A member joined",
    OWNERSHIP_TRANSFERRED: "Ownership transferred",
    HOUSEHOLD_RENAMED: "Household renamed",
    HOUSEHOLD_DELETED: "Household deleted",
})


class OwnersOnly(DomainError):
    """Only an owner of this household can do that."""


class LastOwner(DomainError):
    """A household needs an owner: make someone else owner first."""


class NotAMember(NotFound):
    """That person is not a member of this household."""


class InvalidRole(DomainError):
    """Choose owner, editor or viewer."""


class OnlyMember(DomainError):
    """You are the only member: delete the household instead of leaving it."""


class WrongHouseholdName(DomainError):
    """Type the household's name exactly to confirm."""


def default_name(user: User) -> str:
    return f"{user.display_name}'s household"[:120]


def create_household(session: DbSession, user: User, name: str | None = None) -> Household:
    """A new household owned by `user`, made their current one (with default categories)."""
    from finance_app.services.identity.provisioning import provision_household

    household = Household(name=(name or default_name(user)).strip()[:120])
    session.add(household)
    session.flush()
    session.add(Membership(household_id=household.id, user_id=user.id, role=OWNER))
    user.current_household_id = household.id
    session.flush()
    provision_household(session, household.id)
    return household


def list_members(session: DbSession, household_id: int) -> list[Membership]:
    """Members, owners first, then by when they joined."""
    order = {role: i for i, role in enumerate(ROLES)}
    rows = list(session.scalars(
        select(Membership).where(Membership.household_id == household_id)
        .order_by(Membership.joined_at, Membership.id)
    ))
    return sorted(rows, key=lambda m: order.get(m.role, 9))


def list_memberships(session: DbSession, user_id: int) -> list[Membership]:
    """The households a user belongs to, by name, each with its household loaded (one query:
    every page's household switcher and the request's scope read it)."""
    return list(session.scalars(
        select(Membership).join(Household).where(Membership.user_id == user_id)
        .options(contains_eager(Membership.household))
        .order_by(Household.name, Household.id)
    ))


def get_membership(session: DbSession, household_id: int, user_id: int) -> Membership:
    row = session.scalar(select(Membership).where(Membership.household_id == household_id,
                                                  Membership.user_id == user_id))
    if row is None:
        raise NotAMember()
    return row


def current_membership(session: DbSession, user: User,
                       memberships: list[Membership] | None = None) -> Membership:
    """The membership the user is looking through: their chosen household if they still belong
    to it, else their first; a user left with none gets a new household of their own.
    `memberships` is list_memberships() when the caller already has it."""
    if memberships is None:
        memberships = list_memberships(session, user.id)
    for row in memberships:
        if row.household_id == user.current_household_id:
            return row
    if memberships:
        user.current_household_id = memberships[0].household_id
        session.flush()
        return memberships[0]
    household = create_household(session, user)
    return get_membership(session, household.id, user.id)


def switch_household(session: DbSession, user: User, household_id: object) -> Membership:
    try:
        key = int(str(household_id))
    except ValueError as exc:
        raise NotFound() from exc
    membership = get_membership(session, key, user.id)
    user.current_household_id = membership.household_id
    return membership


def shared_scope(session: DbSession, household_id: int) -> Scope:
    """The household as every member sees it: all private accounts left out (shared budgets and
    their alerts count only what everyone can see)."""
    private = session.scalars(select(Account.id).where(Account.household_id == household_id,
                                                       Account.is_private.is_(True))).all()
    return Scope(household_id=household_id, hidden_account_ids=frozenset(private))


def _owner_count(session: DbSession, household_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(Membership).where(
        Membership.household_id == household_id, Membership.role == OWNER)) or 0)


def _require_owner(scope: Scope) -> None:
    if not scope.is_owner:
        raise OwnersOnly()


def _log(session: DbSession, scope: Scope, event: str, client: audit.ClientInfo | None,
         **details: object) -> None:
    row = audit.record(session, scope.member_id, event, client, **details)
    row.household_id = scope.household_id


def rename_household(session: DbSession, scope: Scope, name: str,
                     client: audit.ClientInfo | None = None) -> Household:
    _require_owner(scope)
    cleaned = " ".join(name.split())[:120]
    if not cleaned:
        raise DomainError("Give the household a name.")
    household = session.get(Household, scope.household_id)
    assert household is not None
    household.name = cleaned
    _log(session, scope, HOUSEHOLD_RENAMED, client, name=cleaned)
    return household


def set_role(session: DbSession, scope: Scope, user_id: object, role: str,
             client: audit.ClientInfo | None = None) -> Membership:
    _require_owner(scope)
    if role not in ROLES:
        raise InvalidRole()
    membership = get_membership(session, scope.household_id, _as_id(user_id))
    if membership.role == OWNER and role != OWNER and \
            _owner_count(session, scope.household_id) <= 1:
        raise LastOwner()
    old = membership.role
    membership.role = role
    _log(session, scope, MEMBER_ROLE_CHANGED, client, member=membership.user.email,
         role=ROLE_LABELS[role], previous=ROLE_LABELS.get(old, old))
    return membership


def transfer_ownership(session: DbSession, scope: Scope, user_id: object,
                       client: audit.ClientInfo | None = None) -> Membership:
    """Make another member the owner; the current owner stays on as an editor."""
    _require_owner(scope)
    target = get_membership(session, scope.household_id, _as_id(user_id))
    if target.user_id == scope.member_id:
        raise DomainError("You are already an owner.")
    target.role = OWNER
    assert scope.member_id is not None
    mine = get_membership(session, scope.household_id, scope.member_id)
    mine.role = EDITOR
    _log(session, scope, OWNERSHIP_TRANSFERRED, client, to=target.user.email)
    return target


def _release_private_accounts(session: DbSession, household_id: int, user_id: int) -> int:
    """A departing member's private accounts stay with the household, shared and unowned."""
    result = session.execute(
        update(Account).where(Account.household_id == household_id, Account.owner_id == user_id)
        .values(owner_id=None, is_private=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def remove_member(session: DbSession, scope: Scope, user_id: object,
                  client: audit.ClientInfo | None = None) -> None:
    _require_owner(scope)
    key = _as_id(user_id)
    if key == scope.member_id:
        raise DomainError("To remove yourself, leave the household.")
    membership = get_membership(session, scope.household_id, key)
    if membership.role == OWNER and _owner_count(session, scope.household_id) <= 1:
        raise LastOwner()
    email = membership.user.email
    _release_private_accounts(session, scope.household_id, key)
    session.delete(membership)
    _log(session, scope, MEMBER_REMOVED, client, member=email)


def leave_household(session: DbSession, scope: Scope, user: User,
                    client: audit.ClientInfo | None = None) -> None:
    membership = get_membership(session, scope.household_id, user.id)
    members = list_members(session, scope.household_id)
    if len(members) == 1:
        raise OnlyMember()
    if membership.role == OWNER and _owner_count(session, scope.household_id) <= 1:
        raise LastOwner()
    _release_private_accounts(session, scope.household_id, user.id)
    session.delete(membership)
    _log(session, scope, MEMBER_LEFT, client, member=user.email)
    session.flush()
    if user.current_household_id == scope.household_id:
        user.current_household_id = None
    current_membership(session, user)


def delete_household(session: DbSession, scope: Scope, confirmation: str, *,
                     attachment_dir: str, model_dir: str,
                     client: audit.ClientInfo | None = None) -> None:
    """Delete the household and every row and file it owns; members move to another of theirs."""
    from finance_app.services.transactions import attachments
    _require_owner(scope)
    household = session.get(Household, scope.household_id)
    assert household is not None
    if confirmation.strip() != household.name:
        raise WrongHouseholdName()
    members = [m.user for m in list_members(session, household.id)]
    receipts = list(session.scalars(select(Attachment).where(
        Attachment.household_id == household.id)))
    attachments.remove_files_after_commit(session, receipts, attachment_dir)
    row = audit.record(session, scope.member_id, HOUSEHOLD_DELETED, client, name=household.name)
    row.household_id = None
    session.delete(household)
    session.flush()
    folder = Path(model_dir) / "users" / str(scope.household_id)
    if folder.is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    for user in members:
        session.refresh(user)
        current_membership(session, user)


def hand_over_before_user_deletion(session: DbSession, user: User) -> list[int]:
    """Before a user is deleted: households they alone belong to go too (their ids are
    returned); where others remain and the user was the last owner, the longest-standing
    member becomes owner, and the user's private accounts stay, shared."""
    alone: list[int] = []
    for membership in list_memberships(session, user.id):
        members = list_members(session, membership.household_id)
        if len(members) == 1:
            alone.append(membership.household_id)
            continue
        _release_private_accounts(session, membership.household_id, user.id)
        if membership.role == OWNER and _owner_count(session, membership.household_id) <= 1:
            heir = next(m for m in members if m.user_id != user.id)
            heir.role = OWNER
    for household_id in alone:
        household = session.get(Household, household_id)
        if household is not None:
            session.delete(household)
    session.flush()
    return alone


def _as_id(value: object) -> int:
    try:
        return int(str(value))
    except ValueError as exc:
        raise NotAMember() from exc


def member_scope(session: DbSession, user: User) -> Scope:
    """What `user` sees of their current household (for the CLI, the demo and jobs acting for
    one person)."""
    from finance_app.services.scope import load_scope

    membership = current_membership(session, user)
    return load_scope(session, membership.household_id, user.id)


def get_household(session: DbSession, scope: Scope) -> Household:
    household = session.get(Household, scope.household_id)
    if household is None:
        raise NotFound()
    return household
