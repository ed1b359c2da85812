"""Recording and listing security-sensitive events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finance_app.db import DbSession
from finance_app.models.audit import AuditEvent
from finance_app.services.scope import scoped_to_user

LOGIN_OK = "login.succeeded"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
TWO_FACTOR_FAILED = "two_factor.failed"
TWO_FACTOR_LOCKED = "two_factor.locked"
TWO_FACTOR_ENABLED = "two_factor.enabled"
TWO_FACTOR_DISABLED = "two_factor.disabled"
RECOVERY_CODE_USED = "two_factor.recovery_code_used"
PASSWORD_CHANGED = "password.changed"
PASSWORD_RESET = "password.reset"
PASSWORD_RESET_REQUESTED = "password.reset_requested"
EMAIL_VERIFIED = "email.verified"
SESSIONS_REVOKED = "sessions.revoked"
SESSION_REVOKED = "session.revoked"
SIGNED_UP = "account.created"
SIGNUP_ATTEMPTED = "account.signup_attempted"
PROFILE_UPDATED = "profile.updated"
DATA_EXPORTED = "data.exported"
DATA_DELETED = "data.deleted"
DATA_ANONYMIZED = "data.anonymized"

LABELS = {
    LOGIN_OK: "Signed in",
    LOGIN_FAILED: "Failed sign-in attempt",
    LOGOUT: "Signed out",
    TWO_FACTOR_FAILED: "Wrong two-factor code",
    TWO_FACTOR_LOCKED: "Two-factor code refused: too many wrong codes",
    TWO_FACTOR_ENABLED: "Two-factor authentication turned on",
    TWO_FACTOR_DISABLED: "Two-factor authentication turned off",
    RECOVERY_CODE_USED: "Recovery code used",
    PASSWORD_CHANGED: "Password changed",
    PASSWORD_RESET: "Password reset by email",
    PASSWORD_RESET_REQUESTED: "Password reset requested",
    EMAIL_VERIFIED: "Email address verified",
    SESSIONS_REVOKED: "Signed out everywhere else",
    SESSION_REVOKED: "A session was revoked",
    SIGNED_UP: "Account created",
    SIGNUP_ATTEMPTED: "Someone tried to sign up with your address",
    PROFILE_UPDATED: "Profile updated",
    DATA_EXPORTED: "Data exported",
    DATA_DELETED: "Data deleted",
    DATA_ANONYMIZED: "Old transactions anonymized",
}


@dataclass(frozen=True)
class ClientInfo:
    """Where a request came from, as far as the audit log and session list care."""

    ip_address: str = ""
    user_agent: str = ""


def record(
    session: DbSession,
    user_id: int | None,
    event: str,
    client: ClientInfo | None = None,
    **details: Any,
) -> AuditEvent:
    client = client or ClientInfo()
    row = AuditEvent(
        user_id=user_id,
        event=event,
        ip_address=client.ip_address[:64],
        user_agent=client.user_agent[:400],
        details=details,
    )
    session.add(row)
    return row


def list_events(session: DbSession, user_id: int, limit: int = 100) -> list[AuditEvent]:
    query = scoped_to_user(AuditEvent, user_id).order_by(AuditEvent.created_at.desc(),
        AuditEvent.id.desc())
    return list(session.scalars(query.limit(limit)))


def list_household_events(session: DbSession, household_id: int,
                          limit: int = 100) -> list[AuditEvent]:
    """Membership changes of a household and security events of its members, for its owners."""
    from sqlalchemy import or_, select

    from finance_app.models.household import Membership

    members = select(Membership.user_id).where(Membership.household_id == household_id)
    query = select(AuditEvent).where(or_(
        AuditEvent.household_id == household_id,
        (AuditEvent.household_id.is_(None)) & AuditEvent.user_id.in_(members),
    )).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return list(session.scalars(query.limit(limit)))
