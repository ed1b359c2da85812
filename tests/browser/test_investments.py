"""Investments in chromium: choosing an account swaps the holdings through HTMX (URL pushed,
the lot method form appears), the allocation charts draw from their specs, and the tax year
select swaps the realized gains."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.services.investments import files
from tests.factories import make_account, scope_of

pytestmark = pytest.mark.browser

TRADES = ("date,symbol,action,quantity,price,fees\n2024-01-10,VTI,buy,10,100,0\n"
          "2024-02-10,BND,buy,10,50,0\n2025-03-10,VTI,sell,4,150,0\n")
OTHER = "date,symbol,action,quantity,price,fees\n2024-05-01,AAPL,buy,2,200,0\n"


def test_account_choice_and_gains_year_swap_in_place(signed_in_page: Any,
                                                    live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        scope = scope_of(page.user_id)
        brokerage = make_account(page.user_id, "Brokerage", type="investment")
        ira = make_account(page.user_id, "IRA", type="investment")
        files.import_trades_file(db.session, scope, brokerage, TRADES)
        files.import_trades_file(db.session, scope, ira, OTHER)
        files.import_prices_file(db.session, scope, f"date,symbol,close\n{date.today()},VTI,160\n"
                                                    f"{date.today()},BND,50\n"
                                                    f"{date.today()},AAPL,250\n")
        db.session.commit()
        ira_id = ira.id
    page.goto("/investments/")
    page.wait_for_function(
        "() => window.Chart"
        " && Chart.getChart(document.querySelector('[data-chart=allocation-symbol]'))")
    spec = json.loads(page.locator("canvas[data-chart=allocation-symbol]")
                      .get_attribute("data-spec"))
    assert spec["labels"] == ["VTI", "AAPL", "BND"]  # 960, 500, 500
    assert spec["series"][0]["data"] == ["960.00", "500.00", "500.00"]
    assert page.locator("#lot-method-form").count() == 0

    page.select_option("#account", str(ira_id))
    page.wait_for_url(f"**/investments/?account={ira_id}")
    page.wait_for_selector("#lot-method-form")
    assert page.locator("#holdings-table tbody tr").count() == 1
    assert page.locator("#holdings-value").text_content().strip() == "$500.00"

    page.goto("/investments/gains?year=2025")
    assert "+$200.00" in page.locator("#gains-long").text_content()
    page.select_option("#year", "2024")
    page.wait_for_url("**/investments/gains?year=2024**")
    page.wait_for_selector("#gains-empty")
