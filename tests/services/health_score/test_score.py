"""The health score on hand-computed figures, and on a ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.debt import Debt
from finance_app.services.health_score.figures import monthly_scores
from finance_app.services.health_score.score import Figures, health_score
from finance_app.services.ledger.periods import MONTH, add_periods
from tests.factories import household_of, make_account, make_category, make_txn, scope_of

D = Decimal


def figures(**changes) -> Figures:
    base = dict(currency="USD", income=D("5000"), spending=D("4500"), usual_spending=D("4500"),
                cash=D("13500"), debt_minimums=D("1000"), budgets_kept=3, budgets_total=4)
    base.update(changes)
    return Figures(**base)


def test_every_part_on_its_line_and_the_weighted_total():
    score = health_score(figures())
    parts = {p.key: p for p in score.parts}
    assert parts["savings"].score == 50  # 10 % kept, target 20 %
    assert parts["savings"].advice == "Spending $500.00 less a month reaches 20 %."
    assert parts["emergency_fund"].score == 50  # 3 months of 6
    assert parts["emergency_fund"].advice == "$13,500.00 more in cash accounts makes six months."
    assert parts["debt"].score == 75  # 20 % of income: a quarter of the way from 10 % to 50 %
    assert parts["budgets"].score == 75
    assert not parts["bills"].counted
    # (30*50 + 25*50 + 20*75 + 15*75) / 90
    assert score.counted_weight == 90 and score.total == 60


def test_targets_met_score_100_and_say_so():
    score = health_score(figures(spending=D("3000"), cash=D("30000"), debt_minimums=D("0"),
                                 budgets_kept=4))
    assert score.total == 100
    assert {p.key: p.advice for p in score.parts}["savings"] == "At or above 20 %: keep it there."


def test_missing_data_is_left_out_not_zero():
    score = health_score(figures(budgets_kept=None, budgets_total=0))
    assert {p.key: p.counted for p in score.parts}["budgets"] is False
    assert score.counted_weight == 75
    assert health_score(figures(income=D(0), spending=D(0), usual_spending=D(0), cash=D(0),
                                debt_minimums=D(0), budgets_kept=None, budgets_total=0)
                        ).total is None


def test_overspending_floors_at_zero_and_debts_without_income_score_zero():
    score = health_score(figures(spending=D("6000"), income=D("0.01"), debt_minimums=D("500")))
    parts = {p.key: p.score for p in score.parts}
    assert parts["savings"] == 0 and parts["debt"] == 0


def test_the_ledger_gives_each_month_its_figures(app, user_id):
    today = date.today()
    with app.app_context():
        checking = make_account(user_id, "Checking", type="checking")
        food = make_category(user_id, "Groceries")
        for back in range(1, 7):
            start = add_periods(today.replace(day=1), MONTH, -back)
            make_txn(checking, "4000.00", start.replace(day=2), "Payroll")
            make_txn(checking, "-3000.00", start.replace(day=9), "Market", category=food)
        db.session.add(Debt(household_id=household_of(user_id), name="Card", kind="credit_card",
                            balance=D("2000"), apr=D("20"), minimum_payment=D("400")))
        db.session.commit()
        history = monthly_scores(db.session, scope_of(user_id), "USD", today)
    latest = history[-1].figures
    assert (latest.income, latest.spending, latest.usual_spending) == (
        D("4000"), D("3000"), D("3000"))
    assert latest.cash == D("6000.00")  # six months of 1,000 kept
    assert latest.debt_minimums == D("400")
    parts = {p.key: p.score for p in history[-1].score.parts}
    assert parts["savings"] == 100  # 25 % kept
    assert parts["emergency_fund"] == 33  # 2 months of 3,000
    assert parts["debt"] == 100  # 10 % of income
    assert history[-1].score.total == round((30 * 100 + 25 * 33 + 20 * 100) / 75)
    assert len(history) == 12 and history[0].score.total is None  # no data a year ago


def test_bills_paid_on_time_count_once_bills_are_tracked():
    score = health_score(figures(bills_on_time=3, bills_due=4))
    parts = {p.key: p for p in score.parts}
    assert parts["bills"].score == 75 and parts["bills"].value == "3 of 4 paid on time"
    assert parts["bills"].advice.startswith("1 bill late or missed")
    # (30*50 + 25*50 + 20*75 + 15*75 + 10*75) / 100
    assert score.counted_weight == 100 and score.total == 61


def test_the_bills_of_the_bills_page_feed_the_part(app, user_id):
    from tests.services.forecasts.test_cash import _series

    today = date.today()
    with app.app_context():
        checking = make_account(user_id, "Checking", type="checking")
        for back in range(1, 9):
            month = add_periods(today.replace(day=1), MONTH, -back)
            make_txn(checking, "3000.00", month.replace(day=1), "Payroll")
            if back != 2:  # the rent two months ago was never paid
                make_txn(checking, "-1500.00", month.replace(day=3), "Landlord")
        db.session.add(_series(checking, "Landlord", "-1500.00", 3, "bill"))
        db.session.commit()
        history = monthly_scores(db.session, scope_of(user_id), "USD", today)
    last, before = history[-1].figures, history[-2].figures
    assert (last.bills_on_time, last.bills_due) == (1, 1)
    assert (before.bills_on_time, before.bills_due) == (0, 1)
    assert {p.key: p.score for p in history[-2].score.parts}["bills"] == 0
