"""Active sessions: listing, revoking one, signing out everywhere else, password change."""

from __future__ import annotations

import re

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.user import UserSession
from tests.conftest import Auth
from tests.factories import PASSWORD


def second_device(app, email="alice@example.com"):
    other = app.test_client()
    other.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (iPhone) Safari/605.1"
    other.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    Auth(app, other).login(email)
    assert other.get("/settings/profile").status_code == 200
    return other


def test_security_page_lists_sessions_with_device_and_ip(app, client, user_id):
    second_device(app)
    page = client.get("/settings/security").get_data(as_text=True)
    assert "Safari on iPhone" in page and "203.0.113.9" in page
    assert "This device" in page


def test_revoking_a_session_signs_that_device_out(app, client, user_id):
    other = second_device(app)
    with app.app_context():
        target = db.session.scalars(
            select(UserSession).where(UserSession.ip_address == "203.0.113.9")).one()
    response = client.post_form(f"/settings/security/sessions/{target.id}/revoke",
                                page="/settings/security")
    assert response.status_code == 303
    assert other.get("/settings/profile").status_code == 302
    assert client.get("/settings/profile").status_code == 200


def test_another_users_session_id_is_not_found_and_stays_active(app, auth, client, user_id):
    auth.create("mallory@example.com")
    victim_device = second_device(app, "mallory@example.com")
    with app.app_context():
        victim = db.session.scalars(select(UserSession).join(UserSession.user).where(
            UserSession.user.has(email="mallory@example.com"))).one()
    response = client.post_form(f"/settings/security/sessions/{victim.id}/revoke",
                                page="/settings/security")
    assert response.status_code == 404
    assert victim_device.get("/settings/profile").status_code == 200


def test_sign_out_everywhere_else_keeps_only_this_session(app, client, user_id):
    devices = [second_device(app) for _ in range(2)]
    response = client.post_form("/settings/security/sessions/revoke-others",
                                page="/settings/security", follow_redirects=True)
    assert "Signed out 2 other sessions." in response.get_data(as_text=True)
    assert all(d.get("/settings/profile").status_code == 302 for d in devices)
    assert client.get("/settings/profile").status_code == 200


def test_changing_the_password_ends_other_sessions(app, auth, client, user_id):
    other = second_device(app)
    new = "violet tundra harbor 1987"
    response = client.post_form("/settings/security/password", {
        "current_password": PASSWORD, "new_password": new, "confirm": new,
    }, page="/settings/security")
    assert response.status_code == 303
    assert other.get("/settings/profile").status_code == 302
    assert client.get("/settings/profile").status_code == 200
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 200
    assert auth.login(password=new).status_code == 303


def test_change_password_with_wrong_current_password_changes_nothing(app, auth, client, user_id):
    new = "violet tundra harbor 1987"
    response = client.post_form("/settings/security/password", {
        "current_password": "not my password", "new_password": new, "confirm": new,
    }, page="/settings/security")
    assert response.status_code == 422
    assert "Your current password is not correct." in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 303


def test_audit_log_shows_sign_ins_and_failures(app, auth, client, user_id):
    auth.logout()
    auth.login(password="definitely wrong password")
    auth.login()
    page = client.get("/settings/security").get_data(as_text=True)
    rows = re.findall(r'<tr class="audit-([a-z_-]+)">', page)
    assert rows[:3] == ["login-succeeded", "login-failed", "logout"]
