"""Invitations: an owner invites by email; the link is signed, expires and works once.

The link is the invitation's id signed and timestamped with the app's secret (a guessed or
altered link is refused before the database is asked). The email job issues it and stores only
its SHA-256, so the one emailed link is the one that works: a re-sent invitation replaces it,
acceptance or withdrawal ends it, and the row's expiry bounds it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.household import EDITOR, ROLE_LABELS, ROLES, Invitation, Membership
from finance_app.models.user import User
from finance_app.security.tokens import InvalidTokenError, make_token, read_token
from finance_app.services.errors import DomainError, NotFound, ValidationFailed
from finance_app.services.households.membership import OwnersOnly, get_membership
from finance_app.services.identity import audit
from finance_app.services.identity.users import normalize_email
from finance_app.services.scope import Scope

INVITE_PURPOSE = "household-invitation"
INVITATION_DAYS = 7
MEMBER_INVITED = "household.member_invited"
INVITATION_REVOKED = "household.invitation_revoked"
audit.LABELS.update({MEMBER_INVITED: "A member was invited",
                     INVITATION_REVOKED: "An invitation was withdrawn"})


class AlreadyMember(ValidationFailed):
    """That person is already a member of this household."""


class InvitationInvalid(DomainError):
    """This invitation link is not valid. Ask for a new one."""


class InvitationExpired(InvitationInvalid):
    """This invitation has expired. Ask the person who invited you for a new one."""


class InvitationUsed(InvitationInvalid):
    """This invitation has already been used."""


class InvitationRevoked(InvitationInvalid):
    """This invitation was withdrawn."""


class InvitationForSomeoneElse(InvitationInvalid):
    """This invitation was sent to another email address: sign in with that address to accept."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(session: DbSession, scope: Scope, email: str, role: str,
                      client: audit.ClientInfo | None = None) -> Invitation:
    """A new invitation (its link is issued when it is emailed); an earlier open one to the
    same address is withdrawn."""
    if not scope.is_owner:
        raise OwnersOnly()
    address = normalize_email(email)
    if role not in ROLES:
        role = EDITOR
    member = session.scalar(
        select(Membership).join(User, User.id == Membership.user_id)
        .where(Membership.household_id == scope.household_id, User.email == address)
    )
    if member is not None:
        raise AlreadyMember()
    now = utcnow()
    for old in session.scalars(select(Invitation).where(
            Invitation.household_id == scope.household_id, Invitation.email == address,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))):
        old.revoked_at = now
    # Unusable until the email job issues the link (no token hashes to a random value).
    invitation = Invitation(household_id=scope.household_id, email=address, role=role,
                            token_hash=_hash(secrets.token_urlsafe(32)),
                            invited_by_id=scope.member_id,
                            created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    session.flush()
    row = audit.record(session, scope.member_id, MEMBER_INVITED, client, email=address,
                       role=ROLE_LABELS[role])
    row.household_id = scope.household_id
    return invitation


def issue_link_token(invitation: Invitation, secret_key: str) -> str:
    """The token of the invitation's link; any link issued before stops working."""
    # The nonce makes each issued link distinct, even two issued within the same second.
    token = make_token(secret_key, INVITE_PURPOSE,
                       {"i": invitation.id, "n": secrets.token_urlsafe(8)})
    invitation.token_hash = _hash(token)
    return token


def list_open_invitations(session: DbSession, scope: Scope) -> list[Invitation]:
    return list(session.scalars(
        select(Invitation).where(Invitation.household_id == scope.household_id,
                                 Invitation.accepted_at.is_(None),
                                 Invitation.revoked_at.is_(None),
                                 Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())
    ))


def revoke_invitation(session: DbSession, scope: Scope, invitation_id: object,
                      client: audit.ClientInfo | None = None) -> Invitation:
    if not scope.is_owner:
        raise OwnersOnly()
    try:
        key = int(str(invitation_id))
    except ValueError as exc:
        raise NotFound() from exc
    invitation = session.scalar(select(Invitation).where(
        Invitation.id == key, Invitation.household_id == scope.household_id))
    if invitation is None:
        raise NotFound()
    if not invitation.is_open:
        raise InvitationInvalid("That invitation was already used or withdrawn.")
    invitation.revoked_at = utcnow()
    row = audit.record(session, scope.member_id, INVITATION_REVOKED, client,
                       email=invitation.email)
    row.household_id = scope.household_id
    return invitation


def read_invitation(session: DbSession, token: str, secret_key: str) -> Invitation:
    """The invitation a link names, or the reason it cannot be used."""
    max_age = INVITATION_DAYS * 86400 + 3600  # the row's expiry is the real limit
    try:
        invitation_id = int(read_token(secret_key, INVITE_PURPOSE, token, max_age).get("i", 0))
    except (InvalidTokenError, TypeError, ValueError) as exc:
        raise InvitationInvalid() from exc
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or not secrets.compare_digest(invitation.token_hash, _hash(token)):
        raise InvitationInvalid()
    if invitation.accepted_at is not None:
        raise InvitationUsed()
    if invitation.revoked_at is not None:
        raise InvitationRevoked()
    if invitation.expires_at <= utcnow():
        raise InvitationExpired()
    return invitation


def accept_invitation(session: DbSession, token: str, user: User, secret_key: str,
                      client: audit.ClientInfo | None = None) -> Membership:
    """Join the household; the invitation is used up and the household becomes current."""
    invitation = read_invitation(session, token, secret_key)
    if normalize_email(user.email) != invitation.email:
        raise InvitationForSomeoneElse()
    try:
        get_membership(session, invitation.household_id, user.id)
    except DomainError:
        pass
    else:
        raise AlreadyMember()
    membership = Membership(household_id=invitation.household_id, user_id=user.id,
                            role=invitation.role)
    session.add(membership)
    invitation.accepted_at, invitation.accepted_by_id = utcnow(), user.id
    user.current_household_id = invitation.household_id
    session.flush()
    from finance_app.services.households.membership import MEMBER_JOINED

    row = audit.record(session, user.id, MEMBER_JOINED, client, member=user.email,
                       role=ROLE_LABELS.get(invitation.role, invitation.role))
    row.household_id = invitation.household_id
    return membership
