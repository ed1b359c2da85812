"""The report page in chromium: the GET form swaps only the report region through HTMX and
pushes its URL; a PDF is made by a job whose progress shows in place, then downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from finance_app.extensions import db
from tests.factories import build_ledger

pytestmark = pytest.mark.browser


def test_filter_swap_and_generate_a_pdf(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        build_ledger(page.user_id)
        db.session.commit()
    page.goto("/reports/?from=2026-03-01&to=2026-03-31")
    assert page.locator("#section-summary [data-figure=summary-2]").inner_text() == "$540.00"
    form_marker = page.evaluate("() => { document.querySelector('#report-form').dataset.kept ="
                                " 'yes'; return 1; }")
    assert form_marker == 1
    page.get_by_label("Report", exact=True).select_option("merchants")
    page.get_by_role("button", name="Show report").click()
    page.locator("#section-merchants").wait_for()
    page.wait_for_url(lambda url: "kind=merchants" in url)
    assert "from=2026-03-01" in page.url
    # The form was not re-rendered: only the region was swapped.
    assert page.locator("#report-form").get_attribute("data-kept") == "yes"
    assert page.locator("#section-summary").count() == 0
    assert "Superstore" in page.locator("#section-merchants").inner_text()

    page.locator("#generate-pdf").click()
    page.locator("#report-file[data-status=ready]").wait_for()
    with page.expect_download() as info:
        page.locator("#report-file-download").click()
    download = info.value
    assert download.suggested_filename == "ledgerly-merchants-2026-03-01-to-2026-03-31.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
