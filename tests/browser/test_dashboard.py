"""The dashboard in chromium: charts draw, the trend switches to weekly, a category lists its
transactions through HTMX."""

from __future__ import annotations

from typing import Any

import pytest

from finance_app.extensions import db
from tests.factories import build_ledger

pytestmark = pytest.mark.browser

MARCH = "/dashboard/?range=custom&start=2026-03-01&end=2026-03-31"


def test_switch_trend_to_weekly_and_open_a_category(signed_in_page: Any, live_server: Any
                                                    ) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        build_ledger(page.user_id)
        db.session.commit()
    page.goto(MARCH)
    assert page.locator("#stat-expense").inner_text() == "$540.00"
    # Chart.js ran: the cash-flow chart is a chart instance on its canvas.
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('[data-chart=cashflow]'))"
    )

    page.locator("#trends").get_by_role("link", name="Weekly").click()
    page.locator("#trend-table[data-granularity=weekly]").wait_for(state="attached")
    assert "granularity=weekly" in page.url
    assert "widget=" not in page.url
    page.wait_for_function(
        "() => Chart.getChart(document.querySelector('[data-chart=trend]'))?.data.labels.length"
        " === 12"
    )

    page.locator("#categories").get_by_role("link", name="T Groceries").click()
    listing = page.locator("#category-transactions")
    listing.get_by_text("T Groceries: 3 transactions").wait_for()
    assert listing.get_by_text("Superstore").count() == 1
    assert listing.get_by_text("Bistro").count() == 0
    # The full page was not reloaded: the weekly trend is still there.
    assert page.locator("#trend-table[data-granularity=weekly]").count() == 1
