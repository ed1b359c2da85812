"""A newcomer's first hour in chromium: sign up, the ways in, a first import into a new account,
and a dashboard that opens on the file's latest month (not an empty December)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "bank-exports" / "chase_checking.csv"
PASSWORD = "a new ledger horse battery 7"


def test_sign_up_import_a_first_file_and_land_on_its_latest_month(browser_page: Any,
                                                                   live_server: Any) -> None:
    page = browser_page
    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r".*/auth/login"))
    page.get_by_label("Email").fill("robin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)

    page.goto("/dashboard/")
    welcome = page.locator("#welcome")
    assert welcome.get_by_role("heading", name="Welcome, Robin").is_visible()
    assert "0 of 5 done" in page.locator("#getting-started").inner_text()
    assert page.locator("canvas[data-chart]").count() == 0  # no empty axes

    welcome.get_by_role("link", name="Import a bank export").click()
    page.wait_for_url(re.compile(r".*/import/$"))
    page.get_by_label("Bank export").set_input_files(str(SAMPLE))
    page.get_by_label("New account name").fill("Everyday")
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url(re.compile(r".*/import/\d+/preview$"))
    page.get_by_role("button", name=re.compile(r"Import 242 transactions")).click()
    page.locator("#import-summary").wait_for(timeout=60_000)
    assert page.locator("#summary-imported").inner_text() == "242"

    page.goto("/dashboard/")
    assert page.locator("#latest-period").inner_text().startswith(
        "Showing May 2025, your latest month with transactions.")
    assert page.locator("#stat-expense").inner_text() != "$0.00"
    checklist = page.locator("#getting-started")
    assert "Import a bank export (done)" in checklist.inner_text().replace("\n", " ")
    page.locator("canvas[data-chart]").first.wait_for()
    page.get_by_role("link", name="Show this month").click()
    page.wait_for_url(re.compile(r".*range=this_month"))
    assert page.locator("#latest-period").count() == 0
