"""Every ledger read the dashboard shows, against hand-computed values on the fixed Ledger of
tests/factories.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.services.errors import NotFound
from finance_app.services.ledger import balance_sheet as sheet
from finance_app.services.ledger import cashflow as flow_reads
from finance_app.services.ledger import merchants as merchant_reads
from finance_app.services.ledger import spending as spending_reads
from finance_app.services.ledger.periods import MONTH, WEEK, YEAR, DateRange
from finance_app.services.ledger.query import LedgerQuery
from tests.factories import Ledger, build_ledger, make_user

MARCH = DateRange(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 3, 15)
D = Decimal


@pytest.fixture()
def ledger(ctx: object) -> Ledger:
    return build_ledger(make_user("dash@example.com"))


def query(ledger: Ledger, rng: DateRange = MARCH, accounts: tuple[int, ...] = ()
          ) -> LedgerQuery:
    return LedgerQuery(ledger.scope, "USD", TODAY, rng, accounts)


def test_cashflow_counts_refunds_splits_and_currencies_but_not_transfers(ledger: Ledger) -> None:
    flow = flow_reads.cashflow(db.session, query(ledger))
    # Spending: groceries 200-50+100, dining 80+120 (EUR 100 at 1.20), shopping 50, mystery 40.
    assert flow.period.income == D("3000")
    assert flow.period.expense == D("540")
    assert flow.period.net == D("2460")
    assert flow.period.savings_rate == D("82.0")
    assert flow.missing_rates == frozenset()
    months = {p.start: p for p in flow.months}
    assert len(flow.months) == 12 and flow.months[-1].start == date(2026, 3, 1)
    assert months[date(2026, 2, 1)].income == D("3000")
    assert months[date(2026, 2, 1)].expense == D("100")
    assert months[date(2026, 2, 1)].savings_rate == D("96.7")
    assert months[date(2025, 4, 1)].expense == D("0")


def test_a_month_still_running_is_compared_with_the_same_days_before(ledger: Ledger) -> None:
    """On 3 March, March's groceries (-200 on the 2nd, +50 on the 5th is still to come in this
    ledger's terms but already booked) are compared with 1-3 February (nothing: the February
    groceries are on the 10th) and 1-3 March 2025 (nothing: the 10th), not with whole months."""
    q = LedgerQuery(ledger.scope, "USD", date(2026, 3, 3), MARCH)
    spending = spending_reads.category_spending(db.session, q)
    groceries = {r.name: r for r in spending.rows}["T Groceries"]
    assert spending.previous_range == DateRange(date(2026, 2, 1), date(2026, 2, 3))
    assert spending.year_ago_range == DateRange(date(2025, 3, 1), date(2025, 3, 3))
    assert (groceries.previous, groceries.year_ago) == (D("0"), D("0"))
    assert groceries.vs_previous is None  # nothing to compare with: no "-94.6 %"
    assert spending.previous_label == "the same 3 days of last month"
    assert spending.year_ago_label == "the same 3 days last year"
    whole = spending_reads.category_spending(
        db.session, LedgerQuery(ledger.scope, "USD", date(2026, 4, 2), MARCH))
    assert {r.name: r for r in whole.rows}["T Groceries"].previous == D("100")
    assert whole.previous_label == "last month"


def test_category_spending_with_comparisons(ledger: Ledger) -> None:
    spending = spending_reads.category_spending(db.session, query(ledger))
    rows = {r.name: r for r in spending.rows}
    assert rows["T Groceries"].spent == D("250")
    assert rows["T Groceries"].previous == D("100")
    assert rows["T Groceries"].year_ago == D("150")
    assert rows["T Groceries"].vs_previous == D("150.0")
    assert rows["T Groceries"].vs_year_ago == D("66.7")
    assert rows["T Dining"].spent == D("200")
    assert rows["T Shopping"].spent == D("50")
    assert rows["Uncategorized"].spent == D("40")
    assert "T Moves" not in rows and "T Salary" not in rows
    assert spending.total == D("540")
    assert rows["T Groceries"].share == D("46.3")
    assert [r.name for r in spending.rows][:2] == ["T Groceries", "T Dining"]
    # March is still running on the 15th: compared with 1-15 February (which holds the 100).
    assert spending.previous_label == "the same 15 days of last month"
    moves = spending_reads.comparisons(spending)
    assert moves[0].name == "T Groceries" and moves[0].change == D("150.0")
    assert moves[0].against == "the same 15 days of last month"


def test_category_transactions_lists_split_lines_and_refunds(ledger: Ledger) -> None:
    listed = spending_reads.category_transactions(db.session, query(ledger),
                                                  str(ledger.groceries.id))
    assert [(r.date.day, r.merchant, r.amount) for r in listed.rows] == [
        (7, "Superstore", D("-100")), (5, "Market", D("50")), (2, "Market", D("-200")),
    ]
    assert listed.total_count == 3
    none = spending_reads.category_transactions(db.session, query(ledger), "none")
    assert [r.merchant for r in none.rows] == ["Mystery"]


def test_merchants_by_amount_and_frequency(ledger: Ledger) -> None:
    merchants = merchant_reads.top_merchants(db.session, query(ledger))
    assert [(m.name, m.spent, m.count) for m in merchants.by_amount] == [
        ("Market", D("150"), 2), ("Superstore", D("150"), 1), ("Café", D("120"), 1),
        ("Bistro", D("80"), 1), ("Mystery", D("40"), 1),
    ]
    assert merchants.by_count[0].name == "Market"


@pytest.mark.parametrize(("granularity", "count", "last_start"), [
    (WEEK, 12, date(2026, 3, 30)), (MONTH, 12, date(2026, 3, 1)), (YEAR, 5, date(2026, 1, 1)),
])
def test_trend_buckets(ledger: Ledger, granularity: str, count: int, last_start: date) -> None:
    trend = flow_reads.trend(db.session, query(ledger), granularity)
    assert len(trend.points) == count
    assert trend.points[-1].start == last_start
    totals = {p.start: p for p in trend.points}
    if granularity == WEEK:
        # Week of Monday 2 March: groceries 200-50, dining 80, split 150, transfer-kind ignored.
        assert totals[date(2026, 3, 2)].expense == D("380")
        assert totals[date(2026, 3, 9)].expense == D("160")  # EUR dining 120 + mystery 40
        assert totals[date(2026, 2, 23)].income == D("3000")
    if granularity == YEAR:
        assert totals[date(2026, 1, 1)].expense == D("640")
        assert totals[date(2025, 1, 1)].expense == D("150")


def test_balances_and_net_worth(ledger: Ledger) -> None:
    result = sheet.balances(db.session, query(ledger))
    by_name = {a.name: a for a in result.accounts}
    # Every transaction moves a balance, excluded ones and transfers included.
    assert by_name["T Checking"].balance == D("6010")
    assert by_name["T Card"].balance == D("-980")  # -150 (2025) -100 -200 +50 -80 +500 -1000
    assert by_name["T Euro"].balance == D("0")
    assert result.net_worth == D("5030")
    history = {p.day: p for p in result.history}
    # End of February: checking 4000, card -250 (owed); the EUR account has no opening date, so
    # it counts from its first transaction (March 12), as on the net-worth page.
    assert history[date(2026, 2, 28)].net == D("3750")
    assert history[date(2026, 2, 28)].liabilities == D("250")
    assert result.history[-1].day == query(ledger).as_of


def test_account_filter_applies_to_every_widget(ledger: Ledger) -> None:
    q = query(ledger, accounts=(ledger.card.id,))
    assert flow_reads.cashflow(db.session, q).period.expense == D("230")  # 200-50+80
    assert flow_reads.cashflow(db.session, q).period.income == D("0")
    assert [a.name for a in sheet.balances(db.session, q).accounts] == ["T Card"]
    names = {r.name for r in spending_reads.category_spending(db.session, q).rows}
    assert names == {"T Groceries", "T Dining"}


def test_missing_rate_is_reported_not_guessed(ctx: object) -> None:
    user = make_user("fx@example.com")
    ledger = build_ledger(user)
    from sqlalchemy import delete

    from finance_app.models.ledger import ExchangeRate
    db.session.execute(delete(ExchangeRate).where(ExchangeRate.household_id == ledger.household_id))
    flow = flow_reads.cashflow(db.session, query(ledger))
    assert flow.missing_rates == frozenset({"EUR"})
    assert flow.period.expense == D("420")


def test_other_users_data_is_invisible(ledger: Ledger) -> None:
    other = build_ledger(make_user("other@example.com"))
    flow = flow_reads.cashflow(db.session, query(ledger))
    assert flow.period.expense == D("540")
    with pytest.raises(NotFound):
        spending_reads.category_transactions(db.session, query(ledger), str(other.groceries.id))
    q = query(ledger, accounts=(other.card.id,))
    assert sheet.balances(db.session, q).accounts == ()
    assert flow_reads.cashflow(db.session, q).period.expense == D("0")


def test_previous_and_year_ago_ranges() -> None:
    assert MARCH.previous() == DateRange(date(2026, 2, 1), date(2026, 2, 28))
    assert MARCH.year_ago() == DateRange(date(2025, 3, 1), date(2025, 3, 31))
    odd = DateRange(date(2026, 3, 5), date(2026, 3, 14))
    assert odd.previous() == DateRange(date(2026, 2, 23), date(2026, 3, 4))
    assert DateRange(date(2024, 2, 29), date(2024, 2, 29)).year_ago().start == date(2023, 2, 28)
