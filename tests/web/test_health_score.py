"""The health score page: the score with its parts, and an empty household told what it needs."""

from __future__ import annotations

from datetime import date

from finance_app.extensions import db
from finance_app.services.ledger.periods import MONTH, add_periods
from tests.factories import make_account, make_category, make_txn


def test_the_page_shows_the_score_and_each_part(app, client, user_id):
    with app.app_context():
        checking = make_account(user_id, "Checking", type="checking")
        food = make_category(user_id, "Groceries")
        for back in range(1, 4):
            start = add_periods(date.today().replace(day=1), MONTH, -back)
            make_txn(checking, "4000.00", start.replace(day=2), "Payroll")
            make_txn(checking, "-3000.00", start.replace(day=9), "Market", category=food)
        db.session.commit()
    html = client.get("/health-score/").get_data(as_text=True)
    assert 'id="health-parts"' in html and 'data-part="emergency_fund"' in html
    assert "25.0 % of income kept (last 3 months)" in html
    assert 'data-score="' in html and "not counted" in html  # no budgets, no bills


def test_an_empty_household_is_not_scored(client, user_id):
    html = client.get("/health-score/").get_data(as_text=True)
    assert 'id="health-empty"' in html and 'data-score=' not in html
