"""The whole account journey in a real browser: sign up, verify by mail, enrol 2FA, sign in."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

pytestmark = pytest.mark.browser

PASSWORD = "orbit maple lantern 2049"


def test_signup_verify_enrol_two_factor_then_sign_in_with_a_code(browser_page, mailbox):
    page = browser_page
    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # The form answers alike whether or not the address has an account: nobody is signed in.
    page.get_by_text("Check your inbox").wait_for()

    link = mailbox.last_link("robin@example.com", "/auth/verify/")
    page.goto(link)
    page.get_by_text("Your email address is confirmed").wait_for()
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Welcome back, Robin.").wait_for()
    assert page.get_by_text("Please confirm your email address").count() == 0

    page.goto("/settings/security")
    page.get_by_role("link", name="Set up two-factor").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert page.locator(".qr-code svg").count() == 1
    page.get_by_label("6-digit code from your app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor").click()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10

    page.goto("/settings/security")
    assert page.locator("#two-factor-panel").get_by_text("On").count() >= 1
    page.get_by_role("button", name="Robin").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_text("You are signed out.").wait_for()

    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/auth/two-factor$"))
    # The code used at enrolment cannot be replayed: wait for the next 30-second step.
    totp = pyotp.TOTP(secret)
    page.get_by_label("Authentication code").fill(totp.at(int(time.time()) + 30))
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("Welcome back, Robin.").wait_for()
    page.goto("/settings/security")
    assert page.get_by_text("Signed in", exact=True).count() >= 1
