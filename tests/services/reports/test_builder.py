"""The report builder against the hand-computed ledger of tests/factories.py (March 2026:
splits, a linked transfer, a refund, an excluded row, a transfer-kind category and a EUR
account), with every filter, and the tax summary from a mapping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.models.ledger import Tag
from finance_app.reports.data import ReportData, Section
from finance_app.services.reports import tax
from finance_app.services.reports.builder import build_report, resolve_query
from finance_app.services.reports.params import ALL, BadReportPeriod, ReportParams
from tests.factories import build_ledger, make_user

TODAY = date(2026, 4, 15)
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}


@pytest.fixture()
def ledger(ctx):
    return build_ledger(make_user("rita@example.com"))


def report(ledger, **params) -> ReportData:
    p = ReportParams(**{**MARCH, "kind": ALL, **params})
    resolved = resolve_query(db.session, ledger.scope, "USD", TODAY, p)
    return build_report(db.session, resolved, p, household_name="Rita's")


def section(data: ReportData, key: str) -> Section:
    return next(s for s in data.sections if s.key == key)


def figures(s: Section) -> dict[str, object]:
    return {f.label: f.value for f in s.figures}


def rows(s: Section, table: int = 0) -> dict[str, tuple]:
    return {r.cells[0]: r.cells[1:] for r in s.tables[table].rows}


def test_summary_by_hand(ledger):
    data = report(ledger)
    # Income: salary 3000. Spending: groceries 200-50 refund, split 100+50, dining 80,
    # EUR 100 at 1.20 = 120, uncategorized 40 = 540. Not: the transfer pair, the excluded
    # 1000, the transfer-kind 300.
    assert data.totals.income == Decimal("3000")
    assert data.totals.spending == Decimal("540")
    assert data.totals.net == Decimal("2460")
    assert data.totals.transactions == 7
    summary = figures(section(data, "summary"))
    assert summary["Savings rate"] == Decimal("82.0")
    # Net worth: checking 1000 opening +3000 (Feb) = 4000, card -100 (Feb) -150 (2025) = -250
    # -> 3750 on 28 Feb (the EUR account, with no opening date, begins with its first row on
    # 12 March); on 31 Mar checking 6010, card -980 (the excluded 1000 still moved it), EUR 0
    # -> 5030.
    assert summary["Net worth at the start"] == Decimal("3750")
    assert summary["Net worth at the end"] == Decimal("5030")
    assert summary["Net worth change"] == Decimal("1280")
    compare = rows(section(data, "summary"))
    assert compare["Spending"] == (Decimal("540"), Decimal("100"), Decimal("440.0"))


def test_categories_with_subcategories_and_previous_period(ledger):
    cats = section(report(ledger), "categories")
    by_name = rows(cats)
    assert by_name["T Food"][:2] == (Decimal("450"), Decimal("100"))
    assert by_name["T Groceries"][:2] == (Decimal("250"), Decimal("100"))
    assert by_name["T Dining"][:2] == (Decimal("200"), Decimal("0"))
    assert by_name["T Shopping"][0] == Decimal("50")
    assert by_name["Uncategorized"][0] == Decimal("40")
    assert by_name["Total"][:2] == (Decimal("540"), Decimal("100"))
    depth = {r.cells[0]: r.depth for r in cats.tables[0].rows}
    assert depth["T Groceries"] == 1 and depth["T Food"] == 0


def test_months_and_cashflow_add_up(ledger):
    data = report(ledger, start=date(2026, 2, 1))
    months = rows(section(data, "monthly"))
    assert months["Feb 2026"][:3] == (Decimal("3000"), Decimal("100"), Decimal("2900"))
    assert months["Mar 2026"][:3] == (Decimal("3000"), Decimal("540"), Decimal("2460"))
    flow = section(data, "cashflow")
    assert rows(flow)["Mar 2026"][3] == Decimal("5360")  # cumulative net
    assert figures(flow)["Saved over the period"] == Decimal("5360")


def test_a_custom_range_cuts_its_months(ledger):
    data = report(ledger, start=date(2026, 3, 6), end=date(2026, 3, 12))
    # Dining 80 (6th), the split 150 (7th), EUR dining 120 (12th); the transfer and the
    # excluded row do not count.
    assert data.totals.spending == Decimal("350")
    assert rows(section(data, "monthly"))["Mar 2026"][1] == Decimal("350")


def test_merchants(ledger):
    merchants = rows(section(report(ledger), "merchants"))
    assert merchants["Market"][:2] == (Decimal("150"), 2)
    assert merchants["Superstore"][0] == Decimal("150")
    assert merchants["Café"][0] == Decimal("120")
    assert "Card payment" not in merchants and "Broker" not in merchants


@pytest.mark.parametrize(("narrow", "spending", "income"), [
    ({"merchant": "market"}, "150", "0"),
    ({"category": "food"}, "450", "0"),
    ({"category": "groceries"}, "250", "0"),
    ({"account": "card"}, "230", "0"),
    ({"tag": True}, "80", "0"),
])
def test_filters_narrow_the_figures(ledger, narrow, spending, income):
    params: dict = {}
    if "merchant" in narrow:
        params["merchant"] = narrow["merchant"]
    if narrow.get("category"):
        params["category_ids"] = (getattr(ledger, narrow["category"]).id,)
    if narrow.get("account"):
        params["account_ids"] = (getattr(ledger, narrow["account"]).id,)
    if narrow.get("tag"):
        from sqlalchemy import select

        from finance_app.models.ledger import Transaction
        trip = Tag(household_id=ledger.household_id, name="trip")
        db.session.add(trip)
        bistro = db.session.scalars(select(Transaction).where(
            Transaction.household_id == ledger.household_id, Transaction.merchant == "Bistro",
            Transaction.is_excluded.is_(False))).one()
        bistro.tags.append(trip)
        db.session.flush()
        params["tag_ids"] = (trip.id,)
    data = report(ledger, **params)
    assert data.totals.spending == Decimal(spending)
    assert data.totals.income == Decimal(income)
    # The months, the categories and the merchants follow the same filter.
    assert rows(section(data, "monthly"))["Mar 2026"][1] == Decimal(spending)
    assert rows(section(data, "categories"))["Total"][0] == Decimal(spending)
    merchant_total = sum((r.cells[1] for r in section(data, "merchants").tables[0].rows),
                         Decimal(0))
    assert merchant_total == Decimal(spending)


def test_ids_of_another_household_are_ignored(ledger):
    other = build_ledger(make_user("olga@example.com"))
    data = report(ledger, account_ids=(other.card.id,), category_ids=(other.food.id,))
    assert data.totals.spending == Decimal("540")
    assert ("Accounts", "All accounts") in data.filters


def test_tax_summary_from_the_mapping(ledger):
    tax.save_mapping(db.session, ledger.scope, {
        ledger.food.id: "medical", ledger.dining.id: "business",
        ledger.salary.id: "business_income"})
    s = section(report(ledger), "tax")
    totals = rows(s)
    # Groceries follows its group (medical); dining has its own (business).
    assert totals["Medical and dental"] == (Decimal("250"), 3)
    assert totals["Business expenses"] == (Decimal("200"), 2)
    assert totals["Business income"] == (Decimal("3000"), 1)
    with pytest.raises(tax.UnknownTaxCategory):
        tax.save_mapping(db.session, ledger.scope, {ledger.food.id: "yachts"})
    assert tax.get_mapping(db.session, ledger.scope)[ledger.food.id] == "medical"


def test_budget_vs_actual(ledger):
    from finance_app.services.budgets import budgets

    budgets.create_budget(db.session, ledger.scope, ledger.food.id, "monthly", Decimal("400"),
                          today=date(2026, 1, 1))
    s = section(report(ledger), "budgets")
    assert rows(s)["T Food"][1:5] == (1, Decimal("400"), Decimal("450"), Decimal("-50"))
    assert rows(s, 1)["Mar 2026"] == (Decimal("400"), Decimal("450"), Decimal("-50"))


def test_bad_periods_are_refused():
    with pytest.raises(BadReportPeriod):
        ReportParams(start=date(2026, 3, 2), end=date(2026, 3, 1))
    with pytest.raises(BadReportPeriod):
        ReportParams(start=date(2000, 1, 1), end=date(2026, 3, 1))
