"""Brute-force defence: repeated sign-in, 2FA, reset and sign-up attempts get a 429 page."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


@pytest.fixture()
def app_config(app_config, redis_url):
    # Rate limits on, with the counters in the real Redis as in production.
    return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": redis_url,
            "LIMIT_LOGIN": "3 per minute", "LIMIT_RESET": "2 per minute",
            "LIMIT_SIGNUP": "2 per minute", "LIMIT_TWO_FACTOR": "3 per minute"}


def test_repeated_failed_logins_are_locked_out_with_a_friendly_429(auth, client):
    auth.create()
    for _ in range(3):
        assert auth.login(password="wrong password guess").status_code == 200
    locked = auth.login(password=PASSWORD)  # even the right password waits now
    assert locked.status_code == 429
    assert "tried that too many times" in locked.get_data(as_text=True)
    assert client.get("/settings/profile").status_code == 302


@pytest.mark.parametrize(
    ("url", "data", "allowed"),
    [
        ("/auth/forgot", {"email": "a@example.com"}, 2),
        ("/auth/signup", {"email": "x@example.com", "password": "short", "confirm": "short"}, 2),
    ],
)
def test_reset_and_signup_are_rate_limited(client, url, data, allowed):
    statuses = [client.post_form(url, data).status_code for _ in range(allowed + 1)]
    assert statuses[-1] == 429 and 429 not in statuses[:-1]


def test_two_factor_step_is_rate_limited(auth, client):
    import time

    uid = auth.create()
    with client.session_transaction() as sess:
        sess["pending_2fa"] = {"uid": uid, "remember": False, "at": int(time.time())}
    statuses = [client.post_form("/auth/two-factor", {"code": "000000"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
