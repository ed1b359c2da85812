"""Two-factor: enrolment, the second sign-in step, replay and recovery codes, turning it off."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.audit import AuditEvent
from finance_app.models.user import RecoveryCode, User
from tests.factories import PASSWORD


def enrol(client) -> tuple[str, list[str]]:
    secret, codes, _ = enrol_with_code(client)
    return secret, codes


def enrol_with_code(client) -> tuple[str, list[str], str]:
    page = client.get("/settings/security/two-factor").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert "<svg" in page
    used = pyotp.TOTP(secret).now()
    response = client.post_form(
        "/settings/security/two-factor", {"code": used},
        page="/settings/security/two-factor",
    )
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.get_data(as_text=True))
    return secret, codes, used


def next_code(secret: str, steps_ahead: int = 1) -> str:
    return pyotp.TOTP(secret).at(int(time.time()) + 30 * steps_ahead)


def test_enrolment_stores_the_secret_encrypted_and_recovery_codes_hashed(app, client, user_id):
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.has_two_factor
        assert secret not in (user.totp_secret_encrypted or "")
        stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(stored) == 10 and not set(codes) & set(stored)
        events = db.session.scalars(select(AuditEvent.event)).all()
        assert "two_factor.enabled" in events


def test_wrong_code_at_enrolment_keeps_two_factor_off(app, client, user_id):
    client.get("/settings/security/two-factor")
    response = client.post_form("/settings/security/two-factor", {"code": "000000"},
                                page="/settings/security/two-factor")
    assert "That code is not valid" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(User, user_id).has_two_factor


def test_sign_in_needs_the_second_step_and_refuses_wrong_and_replayed_codes(auth, client,
                                                                            user_id):
    secret, _, used = enrol_with_code(client)
    auth.logout()
    response = auth.login()
    assert response.status_code == 303 and response.headers["Location"] == "/auth/two-factor"
    assert client.get("/settings/profile").status_code == 302  # not signed in yet

    wrong = client.post_form("/auth/two-factor", {"code": "123456"}, page="/auth/two-factor")
    assert "That code is not valid" in wrong.get_data(as_text=True)
    # The code used to confirm enrolment is spent: it cannot sign in.
    replay = client.post_form("/auth/two-factor", {"code": used},
                              page="/auth/two-factor")
    assert replay.status_code == 200
    code = next_code(secret)
    assert client.post_form("/auth/two-factor", {"code": code},
                            page="/auth/two-factor").status_code == 303
    assert client.get("/settings/profile").status_code == 200

    auth.logout()
    auth.login()
    again = client.post_form("/auth/two-factor", {"code": code}, page="/auth/two-factor")
    assert "That code is not valid" in again.get_data(as_text=True)


def test_a_recovery_code_signs_in_once(auth, client, user_id):
    _, codes = enrol(client)
    auth.logout()
    auth.login()
    assert client.post_form("/auth/two-factor", {"code": codes[0].upper()},
                            page="/auth/two-factor").status_code == 303
    auth.logout()
    auth.login()
    reused = client.post_form("/auth/two-factor", {"code": codes[0]}, page="/auth/two-factor")
    assert reused.status_code == 200 and "That code is not valid" in reused.get_data(as_text=True)
    assert client.post_form("/auth/two-factor", {"code": codes[1]},
                            page="/auth/two-factor").status_code == 303
    assert "8 recovery codes left" in client.get("/settings/security").get_data(as_text=True)


def test_disable_needs_both_password_and_code(app, client, user_id):
    secret, _ = enrol(client)
    bad_password = client.post_form(
        "/settings/security/two-factor/disable",
        {"password": "wrong password here", "code": next_code(secret)}, page="/settings/security",
    )
    assert bad_password.status_code == 422
    bad_code = client.post_form(
        "/settings/security/two-factor/disable",
        {"password": PASSWORD, "code": "111111"}, page="/settings/security",
    )
    assert bad_code.status_code == 422
    with app.app_context():
        assert db.session.get(User, user_id).has_two_factor
    ok = client.post_form(
        "/settings/security/two-factor/disable",
        {"password": PASSWORD, "code": next_code(secret)}, page="/settings/security",
    )
    assert ok.status_code == 303
    with app.app_context():
        user = db.session.get(User, user_id)
        assert not user.has_two_factor and user.totp_secret_encrypted is None
        assert db.session.scalars(select(RecoveryCode)).all() == []


def test_disable_form_over_htmx_returns_only_its_panel(client, user_id):
    enrol(client)
    response = client.post(
        "/settings/security/two-factor/disable",
        data={"password": "nope nope nope", "code": "1"},
        headers={"HX-Request": "true", "X-CSRFToken": client.csrf_token("/settings/security")},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="two-factor-panel"')
    assert "<html" not in body
