"""Bills in chromium: the month arrows swap the calendar through HTMX (the URL follows, the page
is not reloaded), and dismissing a series from its page hides it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.ml.schedule import add_months
from finance_app.services.recurring.detection import detect_recurring
from tests.factories import make_account, make_txn, scope_of

pytestmark = pytest.mark.browser


def _history(live_server: Any, user_id: int) -> None:
    with live_server.app.app_context():
        scope = scope_of(user_id)
        checking = make_account(scope, "Checking")
        start = add_months(date.today().replace(day=1), -6)
        for n in range(6):
            make_txn(checking, "-15.49", add_months(start, n).replace(day=3), "Netflix")
        detect_recurring(db.session, scope.household_id, date.today())
        db.session.commit()


def test_month_arrows_swap_the_calendar(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    _history(live_server, page.user_id)
    page.goto("/bills/")
    page.evaluate("window.notReloaded = true")
    next_month = add_months(date.today().replace(day=1), 1)
    page.get_by_label("Next month").click()
    page.wait_for_url(f"**/bills/?month={next_month:%Y-%m}")
    heading = page.locator("#month-heading")
    heading.wait_for()
    assert heading.inner_text() == next_month.strftime("%B %Y")
    assert page.evaluate("window.notReloaded") is True
    assert "Netflix" in page.locator("#bills-list").inner_text()


def test_dismissing_a_series(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    _history(live_server, page.user_id)
    page.goto("/bills/series")
    page.get_by_role("button", name="Dismiss Netflix").click()
    page.wait_for_load_state("networkidle")
    assert "it will not be suggested again" in page.content()
    assert page.get_by_role("button", name="Restore Netflix").is_visible()
