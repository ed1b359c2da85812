"""TOTP two-factor: enrolment by QR code, verification with replay protection and a per-account
limit on wrong codes, recovery codes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from finance_app.db import DbSession, utcnow
from finance_app.models.audit import AuditEvent
from finance_app.models.user import RecoveryCode, User
from finance_app.security import crypto, passwords, totp
from finance_app.services.errors import DomainError
from finance_app.services.identity import audit
from finance_app.services.identity.audit import ClientInfo


class WrongCodeError(DomainError):
    """That code is not valid. Check your authenticator app and try again."""


class TooManyCodesError(DomainError):
    """Too many wrong codes for this account. Wait a few minutes, then try again."""


class TwoFactorAlreadyOnError(DomainError):
    """Two-factor authentication is already on."""


class WrongPasswordError(DomainError):
    """Your password is not correct."""


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg: str


def begin_enrolment(user: User, encryption_key: str) -> Enrolment:
    """Start (or restart) enrolment: a fresh secret, stored encrypted, not yet enabled."""
    if user.has_two_factor:
        raise TwoFactorAlreadyOnError()
    secret = totp.new_secret()
    user.totp_secret_encrypted = crypto.encrypt(secret, encryption_key)
    uri = totp.provisioning_uri(secret, user.email)
    return Enrolment(secret=secret, uri=uri, qr_svg=totp.qr_svg(uri))


def pending_enrolment(user: User, encryption_key: str) -> Enrolment | None:
    if user.has_two_factor or not user.totp_secret_encrypted:
        return None
    secret = crypto.decrypt(user.totp_secret_encrypted, encryption_key)
    uri = totp.provisioning_uri(secret, user.email)
    return Enrolment(secret=secret, uri=uri, qr_svg=totp.qr_svg(uri))


def _accept_totp(user: User, code: str, encryption_key: str) -> bool:
    if not user.totp_secret_encrypted:
        return False
    secret = crypto.decrypt(user.totp_secret_encrypted, encryption_key)
    step = totp.matching_step(secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False  # wrong, or already used: a code works once
    user.totp_last_step = step
    return True


def confirm_enrolment(
    session: DbSession,
    user: User,
    code: str,
    encryption_key: str,
    hmac_key: str,
    client: ClientInfo | None = None,
) -> list[str]:
    """Turn 2FA on once the user proves their app works; returns the ten recovery codes."""
    if user.has_two_factor:
        raise TwoFactorAlreadyOnError()
    if not _accept_totp(user, code, encryption_key):
        raise WrongCodeError()
    user.totp_enabled_at = utcnow()
    codes = replace_recovery_codes(session, user, hmac_key)
    audit.record(session, user.id, audit.TWO_FACTOR_ENABLED, client)
    return codes


def replace_recovery_codes(session: DbSession, user: User, hmac_key: str) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    for code in codes:
        code_hash = totp.hash_recovery_code(code, hmac_key)
        session.add(RecoveryCode(user_id=user.id, code_hash=code_hash))
    return codes


def count_unused_recovery_codes(session: DbSession, user_id: int) -> int:
    rows = session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return len(list(rows))


# Per account, whichever address the codes come from (the rate limit per client is in the web
# layer): a six-digit code survives a slow guesser spread over many addresses only so long.
CODE_ATTEMPTS = 5
CODE_WINDOW = timedelta(minutes=15)
# A second factor that passed ends the run of wrong codes before it.
_PASSED_EVENTS = (audit.LOGIN_OK, audit.RECOVERY_CODE_USED, audit.TWO_FACTOR_ENABLED)


def code_attempts_retry_at(
    session: DbSession, user_id: int, now: datetime | None = None
) -> datetime | None:
    """When this account may try a code again; None when it may now.

    The wrong codes are the account's `two_factor.failed` audit rows, so the count needs no
    state of its own: CODE_ATTEMPTS of them within CODE_WINDOW (and since the last success)
    refuse further codes until the oldest of them leaves the window.
    """
    now = now or utcnow()
    since = now - CODE_WINDOW
    passed = session.scalar(
        select(func.max(AuditEvent.created_at)).where(
            AuditEvent.user_id == user_id, AuditEvent.event.in_(_PASSED_EVENTS),
            AuditEvent.created_at > since,
        )
    )
    failures = session.scalars(
        select(AuditEvent.created_at)
        .where(AuditEvent.user_id == user_id, AuditEvent.event == audit.TWO_FACTOR_FAILED,
               AuditEvent.created_at > (passed or since))
        .order_by(AuditEvent.created_at.desc())
        .limit(CODE_ATTEMPTS)
    ).all()
    if len(failures) < CODE_ATTEMPTS:
        return None
    return failures[-1] + CODE_WINDOW


def _refuse_if_locked(session: DbSession, user: User, client: ClientInfo | None) -> None:
    # One check at a time per account, so parallel guesses cannot all slip under the limit.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    now = utcnow()
    retry_at = code_attempts_retry_at(session, user.id, now)
    if retry_at is None:
        return
    audit.record(session, user.id, audit.TWO_FACTOR_LOCKED, client)
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    raise TooManyCodesError(
        f"Too many wrong codes for this account. Try again in {minutes} "
        f"minute{'s' if minutes != 1 else ''}."
    )


def verify_second_factor(
    session: DbSession,
    user: User,
    code: str,
    encryption_key: str,
    hmac_key: str,
    client: ClientInfo | None = None,
) -> None:
    """Accept a current TOTP code or an unused recovery code; anything else raises, and so
    does any code once the account has had too many wrong ones (TooManyCodesError)."""
    _refuse_if_locked(session, user, client)
    if _accept_totp(user, code, encryption_key):
        return
    wanted = totp.hash_recovery_code(code, hmac_key)
    row = session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == wanted,
            RecoveryCode.used_at.is_(None),
        )
    ).first()
    if row is None:
        audit.record(session, user.id, audit.TWO_FACTOR_FAILED, client)
        raise WrongCodeError()
    row.used_at = utcnow()
    audit.record(session, user.id, audit.RECOVERY_CODE_USED, client)


def disable(
    session: DbSession,
    user: User,
    password: str,
    code: str,
    encryption_key: str,
    hmac_key: str,
    client: ClientInfo | None = None,
) -> None:
    if not passwords.verify_password(user.password_hash, password):
        raise WrongPasswordError()
    verify_second_factor(session, user, code, encryption_key, hmac_key, client)
    user.totp_enabled_at = None
    user.totp_secret_encrypted = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record(session, user.id, audit.TWO_FACTOR_DISABLED, client)
