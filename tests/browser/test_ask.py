"""The Ask box in chromium: asked on another page, the answer appears in place through HTMX
(no reload, the URL stays); its link leads to the filtered transactions."""

from __future__ import annotations

from typing import Any

import pytest

from finance_app.extensions import db
from tests.services.ask.ledger import build_ask_ledger

pytestmark = pytest.mark.browser


def test_the_box_answers_in_place(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        build_ask_ledger(page.user_id)
        db.session.commit()
    page.goto("/goals/")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Ask a question about your money").fill(
        "how much did I spend on restaurants in october 2026")
    page.get_by_role("button", name="Ask").click()
    card = page.locator("#ask-answer .ask-card")
    card.wait_for()
    assert "Restaurants, 1-31 Oct 2026, total spent" in card.inner_text()
    assert "$100.00" in card.locator(".ask-value").inner_text()
    assert page.url.endswith("/goals/")
    assert page.evaluate("window.notReloaded") is True
    card.get_by_role("link", name="See these transactions").click()
    page.wait_for_url("**/transactions/?from=2026-10-01&to=2026-10-31&category=*")
    assert "Olive Garden" in page.locator("main").inner_text()
