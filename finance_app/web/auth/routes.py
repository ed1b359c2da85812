"""Routes of the auth blueprint: thin — parse the form, call a service, render or redirect."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from finance_app.extensions import db, limiter
from finance_app.jobs import enqueue
from finance_app.models.user import User
from finance_app.notifications.email import link_base_url
from finance_app.security.passwords import WeakPasswordError
from finance_app.security.tokens import InvalidTokenError
from finance_app.services.errors import DomainError
from finance_app.services.identity import audit, users
from finance_app.services.identity import sessions as login_sessions
from finance_app.services.identity import two_factor as two_factor_service
from finance_app.tasks.account_mail import (
    send_password_reset_email,
    send_signup_attempt_email,
    send_verification_email,
)
from finance_app.web.auth import bp
from finance_app.web.auth.forms import (
    EmptyForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
    TwoFactorForm,
)
from finance_app.web.client import client_info
from finance_app.web.htmx import redirect_after_post
from finance_app.web.urls import safe_next_url

PENDING_2FA_KEY = "pending_2fa"
PENDING_2FA_SECONDS = 300


def _limit(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


def _complete_login(user: User, remember: bool) -> Response:
    next_url = safe_next_url(session.get("next_after_login"))
    # Rotate the session: nothing from the anonymous session (incl. its CSRF token) survives.
    session.clear()
    login_sessions.start_session(db.session, user, client_info())
    db.session.commit()
    login_user(user, remember=remember)
    session.permanent = True
    flash(f"Welcome back, {user.display_name}.", "success")
    return redirect_after_post(next_url or url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
@_limit("LIMIT_SIGNUP")
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    if request.method == "GET" and request.args.get("next"):
        # e.g. an invitation link: after signing up, the person lands back on it
        session["next_after_login"] = safe_next_url(request.args.get("next"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            result = users.sign_up(
                db.session, form.email.data or "", form.password.data or "",
                form.name.data or "", client_info(),
            )
        except WeakPasswordError as exc:
            form.password.errors.append(str(exc))
        except users.InvalidEmailError as exc:
            form.email.errors.append(exc.message)
        else:
            db.session.commit()
            user = result.user
            if result.created:
                enqueue(send_verification_email, user.id, user_id=user.id,
                        name="verification email", base_url=link_base_url())
            else:
                enqueue(send_signup_attempt_email, user.id, user_id=user.id,
                        name="sign-up attempt email", base_url=link_base_url())
            # The same answer whether or not the address had an account (no account
            # enumeration): nobody is signed in here; the mail says what happened.
            flash("Check your inbox: we've sent you an email. Follow the link in it to confirm "
                  "your address, then sign in.", "info")
            return redirect_after_post(url_for("auth.login"))
    return render_template("auth/signup.html", form=form)


@bp.route("/verify/<token>")
def verify_email(token: str) -> str | Response:
    try:
        users.verify_email(
            db.session, current_app.config["SECRET_KEY"], token,
            current_app.config["EMAIL_TOKEN_MAX_AGE"],
        )
    except InvalidTokenError as exc:
        return render_template("auth/link_problem.html", message=str(exc)), 400  # type: ignore[return-value]
    db.session.commit()
    if current_user.is_authenticated:
        flash("Your email address is confirmed. Thank you!", "success")
        return redirect(url_for("main.home"))
    flash("Your email address is confirmed. Thank you! Sign in to start.", "success")
    return redirect(url_for("auth.login"))


@bp.post("/verify/resend")
@login_required
def resend_verification() -> Response:
    if not current_user.is_verified:
        enqueue(send_verification_email, current_user.id, user_id=current_user.id,
                name="verification email", base_url=link_base_url())
        flash(f"We sent a new confirmation link to {current_user.email}.", "info")
    return redirect_after_post(request.referrer or url_for("main.home"))


@bp.route("/login", methods=["GET", "POST"])
@_limit("LIMIT_LOGIN")
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    if request.method == "GET" and request.args.get("next"):
        session["next_after_login"] = safe_next_url(request.args.get("next"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = users.authenticate(
                db.session, form.email.data or "", form.password.data or "", client_info()
            )
        except (users.InvalidCredentialsError, users.AccountDisabledError) as exc:
            db.session.commit()  # keep the audit row of the failure
            form.password.errors.append(exc.message)
        else:
            if user.has_two_factor:
                session[PENDING_2FA_KEY] = {
                    "uid": user.id,
                    "remember": bool(form.remember.data),
                    "at": int(time.time()),
                }
                return redirect_after_post(url_for("auth.two_factor"))
            return _complete_login(user, bool(form.remember.data))
    return render_template("auth/login.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@_limit("LIMIT_TWO_FACTOR")
def two_factor() -> str | Response:
    pending = session.get(PENDING_2FA_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_2FA_SECONDS:
        session.pop(PENDING_2FA_KEY, None)
        flash("Please sign in again.", "warning")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, pending["uid"])
    if user is None:
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        try:
            two_factor_service.verify_second_factor(
                db.session, user, form.code.data or "",
                current_app.config["TOKEN_ENCRYPTION_KEY"], current_app.config["SECRET_KEY"],
                client_info(),
            )
        except two_factor_service.TooManyCodesError as exc:
            db.session.commit()  # keep the audit row of the refusal
            form.code.errors.append(exc.message)
            return render_template("auth/two_factor.html", form=form), 429  # type: ignore[return-value]
        except DomainError as exc:
            db.session.commit()
            form.code.errors.append(exc.message)
        else:
            return _complete_login(user, bool(pending.get("remember")))
    return render_template("auth/two_factor.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        login_sessions.end_session(db.session, current_user.session_token)
        audit.record(db.session, current_user.id, audit.LOGOUT, client_info())
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect_after_post(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@_limit("LIMIT_RESET")
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            email = users.normalize_email(form.email.data or "")
        except users.InvalidEmailError:
            email = ""
        user = users.get_user_by_email(db.session, email) if email else None
        if user is not None:
            audit.record(db.session, user.id, audit.PASSWORD_RESET_REQUESTED, client_info())
            db.session.commit()
            enqueue(send_password_reset_email, user.id, user_id=user.id, name="password reset",
                    base_url=link_base_url())
        # The same answer whether or not the address has an account: no account enumeration.
        flash("If that address has an account, we've sent it a link to reset the password.",
              "info")
        return redirect_after_post(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_limit("LIMIT_RESET")
def reset_password(token: str) -> str | Response:
    secret, max_age = current_app.config["SECRET_KEY"], current_app.config["RESET_TOKEN_MAX_AGE"]
    try:
        users.read_reset_token(db.session, secret, token, max_age)
    except InvalidTokenError as exc:
        return render_template("auth/link_problem.html", message=str(exc)), 400  # type: ignore[return-value]
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.reset_password(
                db.session, secret, token, form.password.data or "", max_age, client_info()
            )
        except WeakPasswordError as exc:
            form.password.errors.append(str(exc))
        except InvalidTokenError as exc:
            return render_template("auth/link_problem.html", message=str(exc)), 400  # type: ignore[return-value]
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with the new one.", "success")
            return redirect_after_post(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.app_context_processor
def inject_empty_form() -> dict:
    return {"post_form": EmptyForm}
