"""The transactions page in chromium: live search pushes the URL, back restores it, an inline
edit saves in place, select-all feeds the bulk bar, Escape cancels an edit."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from finance_app.extensions import db
from tests.factories import make_account, make_category, make_txn

pytestmark = pytest.mark.browser


def test_search_edit_inline_and_bulk_select(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        account = make_account(page.user_id)
        make_category(page.user_id, "Treats")
        make_txn(account, "-12.50", date(2025, 4, 2), "Bakery", raw_description="BAKERY 123")
        make_txn(account, "-40.00", date(2025, 4, 3), "Amazon", raw_description="AMZN MKTP")
        make_txn(account, "0.10", date(2025, 4, 4), "Refund")
        db.session.commit()
    page.goto("/transactions/")
    assert "3 transactions" in page.locator("#txn-totals").inner_text()

    page.get_by_label("Search").fill("amzn")
    page.wait_for_url(re.compile(r".*[?&]q=amzn"))
    page.locator("#txn-totals", has_text="1 transaction").wait_for()
    assert page.locator("#txn-results tbody tr").count() == 1
    page.go_back()
    page.locator("#txn-totals", has_text="3 transactions").wait_for()

    row = page.locator("tr", has_text="Bakery")
    row.get_by_role("link", name="Quick edit Bakery").click()
    merchant = page.locator(".txn-quick-form").get_by_label("Merchant")
    merchant.wait_for()
    assert merchant.evaluate("el => el === document.activeElement")
    merchant.fill("Corner Bakery")
    page.locator(".txn-quick-form").get_by_label("Category").select_option(label="Treats")
    page.locator(".txn-quick-form").get_by_label("Tags").fill("weekend")
    page.locator(".txn-quick-form").get_by_role("button", name="Save").click()
    saved = page.locator("tr", has_text="Corner Bakery")
    saved.get_by_text("#weekend").wait_for()
    assert "Treats" in saved.inner_text() and page.locator(".txn-quick-form").count() == 0

    page.locator("tr", has_text="Refund").get_by_role("link", name="Quick edit Refund").click()
    page.locator(".txn-quick-form").get_by_label("Merchant").press("Escape")
    page.locator(".txn-quick-form").wait_for(state="detached")

    page.get_by_label("Select all on this page").check()
    assert page.locator("#bulk-count").inner_text() == "3 selected:"
    page.locator("#bulk-tags").fill("april")
    page.get_by_role("button", name="Add tags").click()
    page.get_by_text("Tagged 3 transactions.").wait_for()
    assert page.locator("#txn-results").get_by_text("#april").count() == 3


@pytest.mark.parametrize("width", [1280, 390])
def test_amount_of_a_row_shows_without_sideways_scrolling(signed_in_page: Any, live_server: Any,
                                                          width: int) -> None:
    """Date, merchant, category and amount of a long row are on screen at a laptop's and a
    phone's width, and the page never scrolls sideways; on the phone the filters wait behind a
    button."""
    page = signed_in_page
    with live_server.app.app_context():
        account = make_account(page.user_id, "Everyday Checking With A Long Name")
        category = make_category(page.user_id, "Bills & subscriptions and other long names")
        make_txn(account, "-1234.56", date(2025, 4, 2), "Blue Bottle Coffee Roasters",
                 raw_description="SQ *BLUE BOTTLE COFFEE ROASTERS OAKLAND CA 94607 CARD 4417",
                 category=category)
        db.session.commit()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/transactions/")
    row = page.locator("#txn-results tbody tr", has_text="Blue Bottle Coffee Roasters")
    for part in (row.locator(".txn-date"), row.locator(".txn-merchant .fw-medium"),
                 row.locator(".txn-category .badge"), row.locator(".txn-amount")):
        box = part.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, part
    assert row.locator(".txn-amount").inner_text().strip() == "-$1,234.56"
    scroll = page.evaluate("[document.documentElement.scrollWidth, "
                           "document.querySelector('#txn-results .table-responsive').scrollWidth,"
                           " document.querySelector('#txn-results .table-responsive').clientWidth]")
    assert scroll[0] <= width and scroll[1] <= scroll[2], scroll
    filters = page.get_by_label("Search")
    if width < 992:
        assert not filters.is_visible()
        page.get_by_role("button", name="Filters").click()
        filters.wait_for(state="visible")
    else:
        assert filters.is_visible()
