"""Links in account and household mails point at the server the person is using.

Without APP_BASE_URL (development) a mail's links use the host of the request that asked for it,
also when a worker sends it later (the job gets that base). With APP_BASE_URL set, it wins; in
production it is the rule and a request's Host header is never trusted for links. Without a mail
server, each mail's links are logged alone on their lines, to click in the terminal.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from finance_app.config import DEFAULT_BASE_URL, load_config
from finance_app.extensions import db
from finance_app.models.user import User
from finance_app.tasks.account_mail import send_password_reset_email, send_verification_email
from tests.factories import PASSWORD

DEV_SERVER = "http://localhost:5055"


def _sign_up(client, email: str, base_url: str = DEV_SERVER):
    return client.post_form("/auth/signup", {
        "name": "Dev", "email": email, "password": PASSWORD, "confirm": PASSWORD,
    }, base_url=base_url)


def test_a_sign_up_on_another_port_gets_a_link_to_that_port(make_app, mailbox):
    app = make_app(APP_BASE_URL=None)
    client = app.test_client()
    assert _sign_up(client, "dev@example.com").status_code == 303

    link = mailbox.last_link("dev@example.com", "/auth/verify/")
    assert link.startswith(f"{DEV_SERVER}/auth/verify/")
    html = mailbox.to("dev@example.com")[0].get_body(preferencelist=("html",)).get_content()
    assert link in html
    # The link works on that server.
    response = client.get(link.removeprefix(DEV_SERVER), base_url=DEV_SERVER)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "dev@example.com")).one()
        assert user.is_verified


def test_app_base_url_wins_over_the_request_host(make_app, mailbox):
    app = make_app(APP_BASE_URL="https://money.example.org/")
    assert _sign_up(app.test_client(), "prod@example.com").status_code == 303
    link = mailbox.last_link("prod@example.com", "/auth/verify/")
    assert link.startswith("https://money.example.org/auth/verify/")


def test_a_reset_link_and_the_sign_up_attempt_mail_follow_the_request_host(
        make_app, mailbox):
    app = make_app(APP_BASE_URL=None)
    client = app.test_client()
    with app.app_context():
        from tests.factories import make_user

        make_user("known@example.com")
    response = client.post_form("/auth/forgot", {"email": "known@example.com"},
                                page="/auth/forgot", base_url=DEV_SERVER)
    assert response.status_code == 303
    assert mailbox.last_link("known@example.com", "/auth/reset/").startswith(
        f"{DEV_SERVER}/auth/reset/")

    mailbox.clear()
    assert _sign_up(client, "known@example.com", base_url="http://localhost:8123").status_code \
        == 303
    assert mailbox.last_link("known@example.com", "/auth/forgot").startswith(
        "http://localhost:8123/auth/forgot")


def test_an_invitation_link_follows_the_request_host(make_app, mailbox):
    app = make_app(APP_BASE_URL=None)
    client = app.test_client()
    with app.app_context():
        from tests.factories import make_user

        make_user("owner@example.com")
    client.post_form("/auth/login", {"email": "owner@example.com", "password": PASSWORD})
    response = client.post_form("/household/invite", {"email": "guest@example.com",
                                                      "role": "editor"},
                                page="/household/", base_url=DEV_SERVER)
    assert response.status_code in (200, 303)
    link = mailbox.last_link("guest@example.com", "/join/")
    assert link.startswith(f"{DEV_SERVER}/join/")


def test_a_mail_job_run_by_a_worker_uses_the_base_it_was_given(make_app, mailbox):
    # Under RQ the job runs in another process, outside any request: the route passes the base.
    app = make_app(APP_BASE_URL=None)
    with app.app_context():
        from tests.factories import make_user

        user_id = make_user("worker@example.com", verified=False).id
        assert send_verification_email(user_id, base_url=f"{DEV_SERVER}/") == {"sent": True}
        assert mailbox.last_link("worker@example.com", "/auth/verify/").startswith(
            f"{DEV_SERVER}/auth/verify/")
        # Nothing captured and no request: the old default.
        assert send_password_reset_email(user_id) == {"sent": True}
    assert mailbox.last_link("worker@example.com", "/auth/reset/").startswith(
        f"{DEFAULT_BASE_URL}/auth/reset/")


def test_without_a_mail_server_each_link_is_logged_on_its_own_line(make_app, mailbox, caplog):
    app = make_app(APP_BASE_URL=None, MAIL_SUPPRESS_SEND=True)
    with caplog.at_level(logging.WARNING, logger="finance_app.notifications.email"):
        assert _sign_up(app.test_client(), "console@example.com").status_code == 303
    assert mailbox.messages == []  # suppressed: nothing reached the SMTP server
    lines = [line.strip() for record in caplog.records for line in
             record.getMessage().splitlines()]
    verify = [line for line in lines if line.startswith(f"{DEV_SERVER}/auth/verify/")]
    assert len(verify) >= 1 and all(" " not in line for line in verify)
    assert any(r.getMessage().startswith("Mail link for console@example.com")
               for r in caplog.records)


@pytest.mark.parametrize(("env", "expected"), [
    ({}, None),
    ({"APP_BASE_URL": "https://money.example.org"}, "https://money.example.org"),
    ({"APP_ENV": "production", "SECRET_KEY": "s" * 40, "TOKEN_ENCRYPTION_KEY": "k"},
     DEFAULT_BASE_URL),
])
def test_app_base_url_is_unset_in_development_only(tmp_path, monkeypatch, env, expected):
    for name in ("APP_BASE_URL", "APP_ENV", "FLASK_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert load_config(str(tmp_path))["APP_BASE_URL"] == expected
