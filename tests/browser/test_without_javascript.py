"""With JavaScript turned off, the basic form posts still work: sign in, add a transaction, find it
with the search form, open settings from the user menu, sign out."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.models import Account
from tests.factories import PASSWORD, household_of, make_user

pytestmark = pytest.mark.browser


def test_the_basic_flows_need_no_javascript(playwright_browser, live_server):
    with live_server.app.app_context():
        user = make_user("nojs@example.com")
        db.session.add(Account(household_id=household_of(user), owner_id=user.id,
                               name="Everyday", currency="USD"))
        db.session.commit()
    context = playwright_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto("/auth/login")
    page.get_by_label("Email").fill("nojs@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Welcome back").wait_for()

    page.goto("/transactions/new")
    page.get_by_label("Date").fill("2026-11-02")
    page.get_by_label("Amount").fill("12.34")
    page.get_by_label("Merchant").fill("Corner Bakery")
    page.get_by_role("button", name="Add transaction").click()

    page.goto("/transactions/")
    page.get_by_label("Search").fill("bakery")
    page.get_by_label("Search").press("Enter")
    assert "q=bakery" in page.url
    row = page.locator("tbody tr", has_text="Corner Bakery")
    assert row.count() == 1
    assert "-$12.34" in row.inner_text()

    # The user menu is a plain list without JavaScript: its links and sign-out button are reachable.
    page.get_by_role("link", name="Security").click()
    assert page.url.endswith("/settings/security")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_text("You are signed out.").wait_for()
    context.close()
