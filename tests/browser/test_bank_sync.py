# ruff: noqa: F811  (the Plaid fixtures are imported, then requested by name)
"""Connecting a bank in chromium with Plaid Link stubbed at the script boundary: the Link script
URL is routed to a stub whose open() calls onSuccess with a public token the fake Plaid server
issued, so the page's own script, form, CSP and the whole server flow run for real."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.models import Transaction
from finance_app.web.bank_sync.routes import LINK_SCRIPT
from tests.fakes.plaid_fixtures import app_config, fake_plaid, plaid_server  # noqa: F401

pytestmark = pytest.mark.browser

STUB = """
window.Plaid = {create: function (config) {
  window.__linkToken = config.token;
  return {open: function () { config.onSuccess(%r, {institution: {name: "Stub"}}); }};
}};
"""


def test_connect_a_bank_match_accounts_and_see_the_first_sync(signed_in_page: Any,
                                                              live_server: Any,
                                                              fake_plaid: Any) -> None:
    page = signed_in_page
    fake_item = fake_plaid.create_item()
    fake_plaid.add(fake_item, fake_plaid.transaction(fake_item.accounts[0]["account_id"],
                                                     "12.50", date(2026, 11, 2), "Blue Bottle"))
    token = fake_plaid.issue_public_token(fake_item)
    page.route(LINK_SCRIPT, lambda route: route.fulfill(
        status=200, content_type="application/javascript", body=STUB % token))

    page.goto("/bank-sync/connect")
    button = page.get_by_role("button", name="Choose your bank")
    assert button.is_enabled()
    assert page.evaluate("window.__linkToken").startswith("link-sandbox-")
    button.click()
    page.wait_for_url("**/bank-sync/*/accounts")
    page.get_by_label("Plaid Checking").select_option("new")
    page.get_by_role("button", name="Save and sync").click()
    page.wait_for_url("**/bank-sync/runs/*")
    page.locator('#run-progress[data-status="completed"]').wait_for()
    assert "1 added" in page.locator("#run-summary").text_content()
    page.get_by_role("link", name="Back to bank connections").click()
    assert "Connected" in page.locator(".bank-item").first.text_content()
    with live_server.app.app_context():
        assert db.session.query(Transaction).count() == 1


def test_when_plaids_script_cannot_load_the_page_says_so(signed_in_page: Any) -> None:
    page = signed_in_page
    page.route(LINK_SCRIPT, lambda route: route.abort())
    page.goto("/bank-sync/connect")
    page.locator("#plaid-link-status").wait_for()
    assert "could not be loaded" in page.locator("#plaid-link-status").text_content()
    assert page.get_by_role("button", name="Choose your bank").is_disabled()
