"""A household in a real browser: the owner invites by email, the partner accepts in a second
browser (own cookies), sees the shared budget and not the owner's private account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.ledger import Category
from finance_app.services.budgets.budgets import create_budget
from tests.factories import PASSWORD, make_account, make_txn, make_user, scope_of

pytestmark = pytest.mark.browser


def test_invite_accept_in_a_second_browser_and_share_the_budget(
        signed_in_page, playwright_browser, live_server, mailbox):
    page = signed_in_page
    with live_server.app.app_context():
        scope = scope_of(page.user_id)
        joint = make_account(scope, "Joint checking")
        make_txn(joint, "-40.00", merchant="Corner grocer", on=date.today())
        make_txn(make_account(scope, "Alice's hidden savings", is_private=True), "-9.00",
                 merchant="Secret present", on=date.today())
        groceries = db.session.scalar(select(Category).where(
            Category.household_id == scope.household_id, Category.name == "Groceries"))
        create_budget(db.session, scope, groceries.id, "monthly", Decimal("300.00"),
                      today=date.today())
        make_user("bob@example.com", name="Bob")
        db.session.commit()

    page.goto("/household/")
    page.get_by_label("Email address").fill("bob@example.com")
    page.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to bob@example.com").wait_for()
    assert page.get_by_text("Invitations waiting").is_visible()
    link = mailbox.last_link("bob@example.com", "/join/")
    path = link.split(live_server.url, 1)[-1] if link.startswith(live_server.url) else \
        "/join/" + link.split("/join/", 1)[1]

    partner = playwright_browser.new_context(base_url=live_server.url)
    try:
        bob = partner.new_page()
        bob.goto(path)
        bob.locator("#main").get_by_role("link", name="Sign in").click()
        bob.get_by_label("Email").fill("bob@example.com")
        bob.get_by_label("Password").fill(PASSWORD)
        bob.get_by_role("button", name="Sign in").click()
        bob.wait_for_url(f"**{path}")
        bob.get_by_role("button", name="Join the household").click()
        bob.get_by_text("Welcome to “Alice's household”").wait_for()

        bob.goto("/budgets/")
        assert bob.get_by_text("Groceries").first.is_visible()
        bob.goto("/accounts/")
        assert bob.get_by_text("Joint checking").first.is_visible()
        assert bob.get_by_text("Alice's hidden savings").count() == 0
        bob.goto("/transactions/")
        assert bob.get_by_text("Corner grocer").first.is_visible()
        assert bob.get_by_text("Secret present").count() == 0
    finally:
        partner.close()

    page.goto("/household/")
    assert page.get_by_text("bob@example.com").first.is_visible()
    assert page.get_by_text("A member joined").first.is_visible()
