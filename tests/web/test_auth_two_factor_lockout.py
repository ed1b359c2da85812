"""Wrong two-factor codes are limited per account, whichever address they come from."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.audit import AuditEvent
from finance_app.models.user import User
from finance_app.security import crypto
from finance_app.services.identity import two_factor
from tests.factories import PASSWORD, make_user

SECRET = pyotp.random_base32()


@pytest.fixture()
def uid(app) -> int:
    """A user with two-factor on (secret SECRET)."""
    with app.app_context():
        user = make_user("tess@example.com")
        user.totp_secret_encrypted = crypto.encrypt(SECRET, app.config["TOKEN_ENCRYPTION_KEY"])
        user.totp_enabled_at = utcnow()
        db.session.commit()
        return user.id


def browser_at(app, address: str):
    """A browser at `address` that has passed the password step and waits for the code."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    response = browser.post_form("/auth/login", {"email": "tess@example.com",
                                                 "password": PASSWORD})
    assert response.headers["Location"] == "/auth/two-factor"
    return browser


def send_code(browser, code: str):
    return browser.post_form("/auth/two-factor", {"code": code}, page="/auth/two-factor")


def code_at(steps_ahead: int = 0) -> str:
    return pyotp.TOTP(SECRET).at(int(time.time()) + 30 * steps_ahead)


def test_five_wrong_codes_lock_the_account_from_every_address_until_the_window_passes(
        app, uid):
    first, second = browser_at(app, "203.0.113.1"), browser_at(app, "198.51.100.7")
    for browser, times in ((first, 3), (second, 2)):
        for _ in range(times):
            wrong = send_code(browser, "000000")
            assert wrong.status_code == 200
            assert "That code is not valid" in wrong.get_data(as_text=True)

    for browser in (second, first):
        locked = send_code(browser, code_at())  # even the right code
        assert locked.status_code == 429
        assert "Too many wrong codes for this account. Try again in 15 minutes." in \
            locked.get_data(as_text=True)
        assert browser.get("/settings/profile").status_code == 302
    fresh = browser_at(app, "192.0.2.99")
    assert send_code(fresh, code_at()).status_code == 429

    with app.app_context():
        events = db.session.execute(select(AuditEvent.event, AuditEvent.ip_address).where(
            AuditEvent.user_id == uid, AuditEvent.event.like("two_factor.%"))).all()
        assert sorted(ip for event, ip in events if event == "two_factor.failed") == \
            ["198.51.100.7"] * 2 + ["203.0.113.1"] * 3
        assert [ev for ev, _ in events].count("two_factor.locked") == 3
        # Fifteen minutes on, the wrong codes have left the window.
        db.session.execute(update(AuditEvent).where(AuditEvent.user_id == uid).values(
            created_at=AuditEvent.created_at - timedelta(minutes=16)))
        db.session.commit()

    assert send_code(first, code_at()).status_code == 303
    assert first.get("/settings/profile").status_code == 200


def test_a_right_code_ends_the_run_of_wrong_ones(app, uid):
    browser = browser_at(app, "203.0.113.1")
    for _ in range(4):
        assert send_code(browser, "000000").status_code == 200
    assert send_code(browser, code_at()).status_code == 303
    browser.post_form("/auth/logout", page="/settings/profile")

    browser = browser_at(app, "203.0.113.1")
    for _ in range(4):
        assert send_code(browser, "000000").status_code == 200
    assert send_code(browser, code_at(1)).status_code == 303


def test_locked_account_refuses_codes_when_turning_two_factor_off_too(app, uid, ctx):
    user = db.session.get(User, uid)
    key, hmac_key = app.config["TOKEN_ENCRYPTION_KEY"], app.config["SECRET_KEY"]
    for _ in range(two_factor.CODE_ATTEMPTS):
        with pytest.raises(two_factor.WrongCodeError):
            two_factor.verify_second_factor(db.session, user, "000000", key, hmac_key)
    assert two_factor.code_attempts_retry_at(db.session, uid) is not None
    with pytest.raises(two_factor.TooManyCodesError):
        two_factor.disable(db.session, user, PASSWORD, code_at(), key, hmac_key)
    assert user.has_two_factor
