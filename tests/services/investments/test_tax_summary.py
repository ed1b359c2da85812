"""The reports' tax summary includes realized gains and dividends of the period
(services/reports/tax.py `investment_income_table`, read by the report builder)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.services.investments import files
from finance_app.services.reports.builder import build_report, resolve_query
from finance_app.services.reports.params import ReportParams
from tests.factories import make_account, make_user, scope_of

TRADES = """date,symbol,action,quantity,price,fees
2024-01-10,VTI,buy,10,100,0
2025-02-10,VTI,sell,4,150,0
2025-02-20,VTI,sell,2,80,0
2025-02-25,VTI,buy,1,79,0
2025-03-01,VTI,dividend,4,0.5,0
2025-03-02,VTI,reinvest,0.1,90,0
2025-06-01,VTI,sell,1,90,0
"""


def _tax_tables(scope, start, end):
    params = ReportParams(start=start, end=end, kind="tax")
    resolved = resolve_query(db.session, scope, "USD", date(2025, 12, 31), params)
    data = build_report(db.session, resolved, params, household_name="Test")
    section = next(s for s in data.sections if s.key == "tax")
    return {t.title: t for t in section.tables}


def test_gains_and_dividends_of_the_period(ctx):
    user = make_user()
    scope = scope_of(user)
    files.import_trades_file(db.session, scope, make_account(user, "Brokerage",
                                                             type="investment"), TRADES)
    tables = _tax_tables(scope, date(2025, 1, 1), date(2025, 3, 31))
    rows = {row.cells[0]: row.cells[1] for row in tables["Investments (USD)"].rows}
    # 4 @ 150 from the 100 lot: +200 long; 2 @ 80: -40 long, with 1.1 shares bought within
    # 30 days (a buy 5 days later, 0.1 reinvested 10 days later): 1.1/2 of 40 = 22 disallowed.
    # June's sale is outside the period.
    assert rows == {"Short-term capital gains": Decimal("0.00"),
                    "Long-term capital gains": Decimal("160.00"),
                    "Wash-sale losses disallowed": Decimal("22.00"),
                    "Dividends paid in cash": Decimal("2.00"),
                    "Dividends reinvested": Decimal("9.00")}


def test_no_investments_table_without_trades(ctx):
    user = make_user()
    tables = _tax_tables(scope_of(user), date(2025, 1, 1), date(2025, 3, 31))
    assert not any(title.startswith("Investments") for title in tables)
