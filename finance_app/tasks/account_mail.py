"""Jobs that send the account emails: verification, password reset, sign-up attempts.

Small and urgent: when Redis cannot take one, the request sends it itself, so signing up and
resetting a password keep working while Redis is down. `base_url` is the host of the request
that asked for the mail (notifications.email.link_base_url), used when APP_BASE_URL is unset."""

from __future__ import annotations

from flask import current_app

from finance_app.extensions import db
from finance_app.jobs import inline_when_queue_down
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.identity import users


@inline_when_queue_down
def send_verification_email(user_id: int, base_url: str | None = None) -> dict:
    user = db.session.get(User, user_id)
    if user is None or user.is_verified:
        return {"sent": False}
    token = users.make_verification_token(current_app.config["SECRET_KEY"], user)
    link = external_url("auth.verify_email", base_url, token=token)
    hours = current_app.config["EMAIL_TOKEN_MAX_AGE"] // 3600
    send_email(user.email, "Confirm your email address", "verify_email", user=user, link=link,
               hours=hours)
    return {"sent": True}


@inline_when_queue_down
def send_password_reset_email(user_id: int, base_url: str | None = None) -> dict:
    user = db.session.get(User, user_id)
    if user is None:
        return {"sent": False}
    token = users.make_reset_token(current_app.config["SECRET_KEY"], user)
    link = external_url("auth.reset_password", base_url, token=token)
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    send_email(user.email, "Reset your password", "reset_password", user=user, link=link,
               minutes=minutes)
    return {"sent": True}


@inline_when_queue_down
def send_signup_attempt_email(user_id: int, base_url: str | None = None) -> dict:
    """Tell an account's owner that someone tried to sign up with their address: the sign-up
    form answers as if it worked, so this mail is the only place the answer is given."""
    user = db.session.get(User, user_id)
    if user is None or user.disabled_at is not None:
        return {"sent": False}
    send_email(user.email, "Someone tried to sign up with your address", "signup_attempt",
               user=user, login_link=external_url("auth.login", base_url),
               reset_link=external_url("auth.forgot_password", base_url))
    return {"sent": True}
