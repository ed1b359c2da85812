"""Accounts of users: sign-up, email verification, sign-in, password reset and change, profile."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import available_timezones

from sqlalchemy import func, select

from finance_app.db import DbSession, utcnow
from finance_app.models.user import User
from finance_app.money import CURRENCIES
from finance_app.security import passwords, tokens
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.identity import audit, provisioning
from finance_app.services.identity import sessions as login_sessions
from finance_app.services.identity.audit import ClientInfo


class EmailTakenError(DomainError):
    """An account with this email address already exists. Sign in or reset your password."""


class InvalidCredentialsError(DomainError):
    """That email and password don't match an account."""


class AccountDisabledError(DomainError):
    """This account has been disabled. Contact the site's administrator."""


class InvalidEmailError(ValidationFailed):
    """Enter a valid email address."""


class WrongPasswordError(DomainError):
    """Your current password is not correct."""


def normalize_email(email: str) -> str:
    # Loaded here, not at start-up (20 ms of every `flask` command): only sign-up and sign-in ask.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidEmailError() from exc


def get_user_by_email(session: DbSession, email: str) -> User | None:
    return session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()


def create_user(
    session: DbSession,
    email: str,
    password: str,
    name: str = "",
    client: ClientInfo | None = None,
    *,
    check_strength: bool = True,
) -> User:
    email = normalize_email(email)
    if check_strength:
        passwords.check_password_strength(password, user_inputs=[email, name])
    if get_user_by_email(session, email) is not None:
        raise EmailTakenError()
    user = User(email=email, password_hash=passwords.hash_password(password), name=name.strip())
    session.add(user)
    session.flush()
    provisioning.provision_user(session, user)
    audit.record(session, user.id, audit.SIGNED_UP, client)
    return user


@dataclass(frozen=True)
class SignUp:
    """What a sign-up did: created `user`, or found the address taken by `user`."""

    user: User
    created: bool


def sign_up(
    session: DbSession, email: str, password: str, name: str = "",
    client: ClientInfo | None = None,
) -> SignUp:
    """Create an account, or, when the address already has one, only note the attempt.

    Both cases do the same work (a password hash) and the caller answers both alike, so the
    form cannot tell anyone which addresses have accounts; the owner hears of it by email.
    A weak password or an invalid address is refused either way, before the lookup.
    """
    email = normalize_email(email)
    passwords.check_password_strength(password, user_inputs=[email, name])
    existing = get_user_by_email(session, email)
    if existing is None:
        user = create_user(session, email, password, name, client, check_strength=False)
        return SignUp(user, created=True)
    passwords.hash_password(password)  # the time a new account would take
    audit.record(session, existing.id, audit.SIGNUP_ATTEMPTED, client)
    return SignUp(existing, created=False)


def make_verification_token(secret_key: str, user: User) -> str:
    return tokens.make_token(
        secret_key, tokens.VERIFY_EMAIL, {"uid": user.id, "email": user.email}
    )


def verify_email(session: DbSession, secret_key: str, token: str, max_age: int) -> User:
    data = tokens.read_token(secret_key, tokens.VERIFY_EMAIL, token, max_age)
    user = session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise tokens.InvalidTokenError(tokens.InvalidTokenError.__doc__)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        audit.record(session, user.id, audit.EMAIL_VERIFIED)
    return user


def authenticate(
    session: DbSession, email: str, password: str, client: ClientInfo | None = None
) -> User:
    """The user for these credentials; an unknown email and a wrong password look the same."""
    try:
        email = normalize_email(email)
    except InvalidEmailError:
        email = ""
    user = get_user_by_email(session, email) if email else None
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not ok:
        audit.record(session, user.id if user else None, audit.LOGIN_FAILED, client)
        raise InvalidCredentialsError()
    if user.disabled_at is not None:
        audit.record(session, user.id, audit.LOGIN_FAILED, client, reason="disabled")
        raise AccountDisabledError()
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def make_reset_token(secret_key: str, user: User) -> str:
    # Tying the token to the current password hash makes it single-use: once the password
    # changes, every earlier reset link stops working.
    return tokens.make_token(
        secret_key,
        tokens.RESET_PASSWORD,
        {"uid": user.id, "pw": tokens.fingerprint(user.password_hash)},
    )


def read_reset_token(session: DbSession, secret_key: str, token: str, max_age: int) -> User:
    data = tokens.read_token(secret_key, tokens.RESET_PASSWORD, token, max_age)
    user = session.get(User, data.get("uid"))
    if user is None or data.get("pw") != tokens.fingerprint(user.password_hash):
        raise tokens.InvalidTokenError(tokens.InvalidTokenError.__doc__)
    return user


def reset_password(
    session: DbSession,
    secret_key: str,
    token: str,
    new_password: str,
    max_age: int,
    client: ClientInfo | None = None,
) -> User:
    user = read_reset_token(session, secret_key, token, max_age)
    passwords.check_password_strength(new_password, user_inputs=[user.email, user.name])
    user.password_hash = passwords.hash_password(new_password)
    if user.email_verified_at is None:  # they proved they read the mailbox
        user.email_verified_at = utcnow()
    login_sessions.revoke_all(session, user.id)
    audit.record(session, user.id, audit.PASSWORD_RESET, client)
    return user


def change_password(
    session: DbSession,
    user: User,
    current_password: str,
    new_password: str,
    keep_session_token: str | None,
    client: ClientInfo | None = None,
) -> None:
    if not passwords.verify_password(user.password_hash, current_password):
        raise WrongPasswordError()
    passwords.check_password_strength(new_password, user_inputs=[user.email, user.name])
    user.password_hash = passwords.hash_password(new_password)
    login_sessions.revoke_all(session, user.id, except_token=keep_session_token)
    audit.record(session, user.id, audit.PASSWORD_CHANGED, client)


@dataclass(frozen=True)
class ProfileChanges:
    name: str
    base_currency: str
    timezone: str
    locale: str
    notify_budget_email: bool
    notify_weekly_email: bool
    notify_security_email: bool
    notify_goal_email: bool = True
    # The weekly summary email's weekday (0 = Monday) and hour, in `timezone`; None: unchanged.
    weekly_email_weekday: int | None = None
    weekly_email_hour: int | None = None
    weekly_email_figures: bool | None = None


LOCALES = ("en_US", "en_GB", "en_CA", "en_AU", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL")


def update_profile(
    session: DbSession, user: User, changes: ProfileChanges, client: ClientInfo | None = None
) -> None:
    if changes.base_currency not in CURRENCIES:
        raise ValidationFailed("Choose a supported currency.")
    if changes.timezone not in available_timezones():
        raise ValidationFailed("Choose a valid time zone.")
    if changes.locale not in LOCALES:
        raise ValidationFailed("Choose a supported locale.")
    if changes.weekly_email_weekday is not None and not 0 <= changes.weekly_email_weekday <= 6:
        raise ValidationFailed("Choose a day of the week for the weekly email.")
    if changes.weekly_email_hour is not None and not 0 <= changes.weekly_email_hour <= 23:
        raise ValidationFailed("Choose an hour between 00:00 and 23:00 for the weekly email.")
    user.name = changes.name.strip()[:120]
    user.base_currency = changes.base_currency
    user.timezone = changes.timezone
    user.locale = changes.locale
    user.notify_budget_email = changes.notify_budget_email
    user.notify_weekly_email = changes.notify_weekly_email
    user.notify_security_email = changes.notify_security_email
    user.notify_goal_email = changes.notify_goal_email
    if changes.weekly_email_weekday is not None:
        user.weekly_email_weekday = changes.weekly_email_weekday
    if changes.weekly_email_hour is not None:
        user.weekly_email_hour = changes.weekly_email_hour
    if changes.weekly_email_figures is not None:
        user.weekly_email_figures = changes.weekly_email_figures
    audit.record(session, user.id, audit.PROFILE_UPDATED, client)
