"""The payoff plan in chromium: switching strategy and the extra amount swaps the plan through
HTMX; the chart's data-spec and the table behind it change together; the schedule downloads."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.services.debts import records
from tests.factories import scope_of

pytestmark = pytest.mark.browser

THREE = (("Visa", "3000", "24", "90"), ("Car", "8000", "6", "200"),
         ("Medical", "1200", "0", "50"))


def _spec(page: Any) -> dict:
    return json.loads(page.locator("canvas[data-chart=debt-timeline]").get_attribute("data-spec"))


def _medical_after_month_1(page: Any) -> str:
    # Columns: month, Car, Medical, Visa, total; rows from month 0.
    cell = page.locator("#timeline-table tbody tr").nth(1).locator("td").nth(1)
    return cell.text_content().strip()


def test_switch_strategy_and_extra_and_watch_chart_and_table(signed_in_page: Any,
                                                            live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        scope = scope_of(page.user_id)
        for name, balance, apr, minimum in THREE:
            records.create_debt(db.session, scope, records.DebtInput(
                name=name, balance=Decimal(balance), apr=Decimal(apr),
                minimum_payment=Decimal(minimum)))
        db.session.commit()
    page.goto("/debts/plan?extra=150")
    page.wait_for_function(
        "() => window.Chart"
        " && Chart.getChart(document.querySelector('[data-chart=debt-timeline]'))")
    snowball = _spec(page)
    assert [s["label"] for s in snowball["series"]] == ["Car", "Medical", "Visa"]
    assert snowball["series"][1]["data"][:2] == ["1200.00", "1000.00"]  # strings, not floats
    assert _medical_after_month_1(page) == "$1,000.00"
    assert page.locator("#plan-interest").inner_text() == "$1,417.12"

    page.get_by_label("Strategy").select_option("avalanche")
    page.locator("#debt-plan[data-strategy=avalanche]").wait_for()
    assert "strategy=avalanche" in page.url
    avalanche = _spec(page)
    assert avalanche["series"][1]["data"][:2] == ["1200.00", "1150.00"]
    assert avalanche["series"][2]["data"][:2] == ["3000.00", "2820.00"]
    assert _medical_after_month_1(page) == "$1,150.00"
    assert page.locator("#plan-interest").inner_text() == "$1,186.88"
    # The new canvas was drawn too (htmx:load), and its chart carries the new figures.
    page.wait_for_function(
        "() => Chart.getChart(document.querySelector('[data-chart=debt-timeline]'))"
        "?.data.datasets[1].data[1] === 1150")

    page.get_by_label("Extra each month").fill("0")
    page.get_by_role("button", name="Show plan").click()
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('[data-chart=debt-timeline]')"
        ".dataset.spec).series[2].data[1] === '2970.00'")
    assert "extra=0" in page.url
    assert _medical_after_month_1(page) == "$1,150.00"
    visa = page.locator("#timeline-table tbody tr").nth(1).locator("td").nth(2)
    assert visa.text_content().strip() == "$2,970.00"

    with page.expect_download() as info:
        page.locator("#schedule-download").click()
    download = info.value
    assert download.suggested_filename == "debt-payoff-avalanche.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("month,date,debt,start_balance,interest,payment,end_balance")


def test_the_plan_form_works_without_javascript(playwright_browser: Any, live_server: Any
                                                ) -> None:
    from tests.factories import PASSWORD, make_user

    with live_server.app.app_context():
        user = make_user("nojs-debts@example.com")
        scope = scope_of(user)
        for name, balance, apr, minimum in THREE:
            records.create_debt(db.session, scope, records.DebtInput(
                name=name, balance=Decimal(balance), apr=Decimal(apr),
                minimum_payment=Decimal(minimum)))
        db.session.commit()
    context = playwright_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/auth/login")
    page.get_by_label("Email").fill("nojs-debts@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.goto("/debts/plan")
    page.get_by_label("Strategy").select_option("avalanche")
    page.get_by_label("Extra each month").fill("150")
    page.get_by_label("Extra each month").press("Enter")  # a plain GET submit
    page.locator("#debt-plan[data-strategy=avalanche]").wait_for()
    assert "strategy=avalanche" in page.url and "extra=150" in page.url
    assert page.locator("#plan-interest").inner_text() == "$1,186.88"
    context.close()
