"""The weekly email's unsubscribe link: a signed token naming the member, which is all the
authority a click on it needs (no sign-in, no CSRF token: the link only ever turns mail off)."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.models.user import User
from finance_app.security import tokens
from finance_app.services.identity import audit
from finance_app.services.identity.audit import ClientInfo

PURPOSE = "weekly-email-unsubscribe"
# Long: people unsubscribe from mails they received months ago, and the link only turns a mail
# off. Mail clients' one-click unsubscribe (RFC 8058) uses the same link.
MAX_AGE = 400 * 24 * 3600


def make_unsubscribe_token(secret_key: str, user: User) -> str:
    return tokens.make_token(secret_key, PURPOSE, {"uid": user.id})


def read_unsubscribe_token(session: DbSession, secret_key: str, token: str) -> User:
    """The member the link is for; InvalidTokenError (or ExpiredTokenError) otherwise."""
    data = tokens.read_token(secret_key, PURPOSE, token, MAX_AGE)
    user = session.get(User, data.get("uid"))
    if user is None:
        raise tokens.InvalidTokenError(tokens.InvalidTokenError.__doc__)
    return user


def unsubscribe(session: DbSession, secret_key: str, token: str,
                client: ClientInfo | None = None) -> User:
    """Turn the member's weekly email off; doing it twice is harmless."""
    user = read_unsubscribe_token(session, secret_key, token)
    if user.notify_weekly_email:
        user.notify_weekly_email = False
        audit.record(session, user.id, audit.PROFILE_UPDATED, client,
                     weekly_email="unsubscribed by the email's link")
    return user
