"""Sign-up, verification, sign-in, reset, sign-out: the happy paths and the bad ones."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.audit import AuditEvent
from finance_app.models.user import User
from finance_app.security import tokens
from finance_app.services.identity import users
from tests.factories import PASSWORD

# Each browser gets its own CSRF token; a page compared across browsers leaves it out.
CSRF_TOKEN = re.compile(r'(name="csrf_token"[^>]*value="|"X-CSRFToken": ")[^"]+')


def test_signup_creates_account_and_mails_a_working_verification_link(
    app, auth, client, mailbox
):
    response = client.post_form("/auth/signup", {
        "name": "Bea", "email": "Bea@Example.com", "password": PASSWORD, "confirm": PASSWORD,
    })
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    # Not signed in by the form: an address that already had an account gets the same answer.
    assert client.get("/settings/profile").status_code == 302
    assert "Check your inbox" in client.get("/auth/login").get_data(as_text=True)

    link = mailbox.last_link("bea@example.com", "/auth/verify/")
    assert mailbox.to("bea@example.com")[0]["Subject"] == "Confirm your email address"
    html_part = mailbox.to("bea@example.com")[0].get_body(preferencelist=("html",))
    assert link in html_part.get_content()

    response = client.get(link.replace("http://localhost", ""))
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "bea@example.com")).one()
        assert user.is_verified and user.name == "Bea"
        assert user.password_hash.startswith("$argon2id$")
    assert "Your email address is confirmed" in client.get(
        "/auth/login").get_data(as_text=True)
    assert auth.login("bea@example.com").status_code == 303
    assert "Please confirm your email" not in client.get(
        "/", follow_redirects=True).get_data(as_text=True)


def test_unverified_new_account_can_sign_in_before_confirming(auth, client, mailbox):
    client.post_form("/auth/signup", {
        "email": "cy@example.com", "password": PASSWORD, "confirm": PASSWORD,
    })
    assert auth.login("cy@example.com").status_code == 303
    home = client.get("/", follow_redirects=True)
    assert "Please confirm your email address" in home.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use at least 12 characters."),
        ("password1234", "too easy to guess"),
        ("qwertyuiop123", "too easy to guess"),
    ],
)
def test_signup_rejects_weak_passwords_and_creates_nothing(app, client, mailbox, password, message):
    response = client.post_form("/auth/signup", {
        "email": "weak@example.com", "password": password, "confirm": password,
    })
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "weak@example.com")) is None
    assert mailbox.messages == []


def _signup_as_a_stranger(app, email: str) -> tuple[Any, str]:
    """Sign up from a fresh browser: the answer, and the page it leads to without CSRF tokens."""
    stranger = app.test_client()
    response = stranger.post_form("/auth/signup", {
        "name": "Sam", "email": email, "password": PASSWORD, "confirm": PASSWORD,
    })
    landing = stranger.get(response.headers.get("Location", "/auth/signup"))
    return response, CSRF_TOKEN.sub(r"\1", landing.get_data(as_text=True))


def test_signup_answers_alike_for_new_and_taken_addresses_and_mails_the_owner(
        app, auth, mailbox):
    auth.create("taken@example.com", name="Tess")
    taken, taken_page = _signup_as_a_stranger(app, "TAKEN@example.com")
    new, new_page = _signup_as_a_stranger(app, "fresh@example.com")

    assert taken.status_code == new.status_code == 303
    assert taken.headers["Location"] == new.headers["Location"] == "/auth/login"
    assert taken.get_data() == new.get_data()
    assert sorted(taken.headers.keys()) == sorted(new.headers.keys())
    assert taken_page == new_page and "Check your inbox" in new_page

    [warning] = mailbox.to("taken@example.com")
    assert warning["Subject"] == "Someone tried to sign up with your address"
    text = warning.get_body(preferencelist=("plain",)).get_content()
    assert "already have one" in text and "http://localhost/auth/login" in text
    assert mailbox.last_link("taken@example.com", "/auth/forgot")
    assert mailbox.to("fresh@example.com")[0]["Subject"] == "Confirm your email address"
    with app.app_context():
        # Nothing changed on the existing account; the attempt is in its security log.
        owner = users.get_user_by_email(db.session, "taken@example.com")
        assert owner.name == "Tess"
        assert db.session.scalar(select(func.count()).select_from(User).where(
            func.lower(User.email) == "taken@example.com")) == 1
        events = db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.user_id == owner.id)).all()
        assert "account.signup_attempted" in events


def test_signup_with_a_taken_address_and_a_weak_password_is_refused_like_a_new_one(
        app, auth, mailbox):
    auth.create("taken@example.com")
    answers = []
    for email in ("taken@example.com", "other@example.com"):
        response = app.test_client().post_form("/auth/signup", {
            "email": email, "password": "short", "confirm": "short"})
        answers.append((response.status_code,
                        CSRF_TOKEN.sub(r"\1", response.get_data(as_text=True)).replace(email, "")))
    assert answers[0] == answers[1] and answers[0][0] == 200
    assert mailbox.messages == []


def test_wrong_password_and_unknown_email_get_the_same_answer(app, auth, client):
    auth.create("known@example.com")
    wrong = auth.login("known@example.com", "not the right password at all")
    unknown = auth.login("nobody@example.com", PASSWORD)
    assert wrong.status_code == unknown.status_code == 200
    message = "That email and password don&#39;t match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "login.failed"))
        assert len(list(events)) == 2
    assert client.get("/settings/profile").status_code == 302


def test_login_rotates_the_session_and_logout_ends_it(app, auth, client):
    auth.create()
    client.get("/auth/login")
    with client.session_transaction() as before:
        anonymous_csrf = before.get("csrf_token")
    assert anonymous_csrf
    assert auth.login().status_code == 303
    with client.session_transaction() as after:
        assert after.get("csrf_token") != anonymous_csrf
        token = after["_user_id"]
    assert client.get("/settings/profile").status_code == 200
    auth.logout()
    assert client.get("/settings/profile").status_code == 302
    # The old session token is dead even if someone kept a copy of the cookie.
    with client.session_transaction() as stolen:
        stolen["_user_id"] = token
        stolen["_fresh"] = True
    assert client.get("/settings/profile").status_code == 302


def test_remember_me_survives_the_session_cookie_but_not_a_revocation(app, auth, client):
    uid = auth.create()
    auth.login(remember=True)
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("ledgerly_session")
    assert client.get("/settings/profile").status_code == 200
    with app.app_context():
        from finance_app.services.identity.sessions import revoke_all

        revoke_all(db.session, uid)
        db.session.commit()
    client.delete_cookie("ledgerly_session")
    assert client.get("/settings/profile").status_code == 302


def test_verification_link_tampered_or_expired_is_refused(app, auth, client):
    uid = auth.create("new@example.com", verified=False)
    with app.app_context():
        user = db.session.get(User, uid)
        good = users.make_verification_token(app.config["SECRET_KEY"], user)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    response = client.get(f"/auth/verify/{tampered}")
    assert response.status_code == 400
    assert "invalid or has been tampered" in response.get_data(as_text=True)

    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/auth/verify/{good}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(User, uid).is_verified


def test_password_reset_by_email_works_once_and_signs_out_everywhere(app, auth, client, mailbox):
    uid = auth.create("reset@example.com")
    other_device = app.test_client()
    auth.__class__(app, other_device).login("reset@example.com")
    assert other_device.get("/settings/profile").status_code == 200

    response = client.post_form("/auth/forgot", {"email": "reset@example.com"})
    assert response.status_code == 303
    link = mailbox.last_link("reset@example.com", "/auth/reset/")
    path = link.replace("http://localhost", "")
    new_password = "a brand new passphrase 77"
    response = client.post_form(path, {"password": new_password, "confirm": new_password},
                                page=path)
    assert response.status_code == 303
    assert auth.login("reset@example.com", new_password).status_code == 303
    assert other_device.get("/settings/profile").status_code == 302

    # Single use: the password changed, so the same link is now dead.
    assert client.get(path).status_code == 400
    with app.app_context():
        events = {e.event for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.user_id == uid))}
        assert {"password.reset_requested", "password.reset"} <= events


def test_forgot_password_for_an_unknown_email_answers_the_same_and_sends_nothing(client, mailbox):
    response = client.post_form("/auth/forgot", {"email": "ghost@example.com"},
                                follow_redirects=True)
    assert "If that address has an account" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_expired_reset_token_is_refused(app, auth, client):
    uid = auth.create("late@example.com")
    with app.app_context():
        token = users.make_reset_token(app.config["SECRET_KEY"], db.session.get(User, uid))
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_tokens_for_one_purpose_do_not_work_for_another(app):
    token = tokens.make_token("k", tokens.VERIFY_EMAIL, {"uid": 1})
    with pytest.raises(tokens.InvalidTokenError):
        tokens.read_token("k", tokens.RESET_PASSWORD, token, 60)
    assert tokens.read_token("k", tokens.VERIFY_EMAIL, token, 60) == {"uid": 1}


def test_next_parameter_only_follows_local_paths(auth, client):
    auth.create()
    client.get("/auth/login?next=https://evil.example/steal")
    response = auth.login()
    assert response.headers["Location"] == "/"
    auth.logout()
    client.get("/auth/login?next=/settings/security")
    assert auth.login().headers["Location"] == "/settings/security"


def test_unverified_user_can_ask_for_a_new_link(auth, client, mailbox):
    auth.create("slow@example.com", verified=False)
    auth.login("slow@example.com")
    response = client.post_form("/auth/verify/resend", page="/")
    assert response.status_code == 303
    assert len(mailbox.to("slow@example.com")) == 1


def test_pending_two_factor_step_expires(app, auth, client):
    uid = auth.create()
    with client.session_transaction() as sess:
        sess["pending_2fa"] = {"uid": uid, "remember": False, "at": int(time.time()) - 3600}
    response = client.get("/auth/two-factor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
