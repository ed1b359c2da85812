"""The forecast page over HTTP: figures from the household's own months, an empty state, and
nothing of another household."""

from __future__ import annotations

from datetime import date

from finance_app.extensions import db
from finance_app.services.forecasts.spending import forecast_spending
from finance_app.services.ledger.periods import MONTH, add_periods
from tests.factories import make_account, make_category, make_txn, scope_of


def _months_back(n: int) -> date:
    return add_periods(date.today().replace(day=1), MONTH, -n)


def _history(user_id: int, *, rent: str = "-1200.00", groceries=("-300.00",) * 8) -> None:
    account = make_account(user_id)
    housing = make_category(user_id, "Rent")
    food = make_category(user_id, "Groceries")
    for back in range(1, 9):
        make_txn(account, rent, _months_back(back).replace(day=1), "Landlord", category=housing)
    for back, amount in zip(range(1, 9), groceries, strict=False):
        make_txn(account, amount, _months_back(back).replace(day=10), "Market", category=food)
    make_txn(account, "2500.00", _months_back(1).replace(day=15), "Payroll")  # income: not spending
    db.session.commit()


def test_the_forecast_is_the_households_own_months(app, user_id):
    with app.app_context():
        _history(user_id, groceries=("-300.00", "-320.00", "-280.00", "-900.00", "-310.00",
                                     "-290.00", "-305.00", "-300.00"))
        forecast = forecast_spending(db.session, scope_of(user_id), "USD", date.today())
    rows = {r.name: r for r in forecast.rows}
    assert set(rows) == {"Rent", "Groceries"}
    assert rows["Rent"].next_month.amount == rows["Rent"].this_month.amount == 1200
    assert rows["Rent"].next_month.low == rows["Rent"].next_month.high == 1200
    # The median of the last six months (290, 310, 900, 280, 320, 300, oldest first): one big
    # shop does not make the next month a big one.
    assert rows["Groceries"].next_month.amount == 305
    assert rows["Groceries"].next_month.high > 800  # but it widens the range
    assert forecast.total_next.amount == 1505
    assert rows["Groceries"].last_month == 300
    assert forecast.months_learnt == 8


def test_the_page_shows_the_forecast_and_its_table(app, client, user_id):
    with app.app_context():
        _history(user_id)
    response = client.get("/forecasts/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="forecast-table"' in html and 'data-category="Rent"' in html
    assert "$1,500.00" in html  # 1,200 rent + 300 groceries
    assert 'data-chart="forecast-total"' in html
    assert 'id="cash-table"' in html and 'data-account="Checking"' in html


def test_an_empty_household_gets_a_way_in_not_a_forecast_of_zero(client, user_id):
    html = client.get("/forecasts/").get_data(as_text=True)
    assert 'id="forecast-empty"' in html and 'id="forecast-table"' not in html
    assert 'href="/import/"' in html


def test_another_households_months_are_not_learnt(app, client, auth, user_id):
    stranger = auth.create("stranger@example.com")
    with app.app_context():
        _history(stranger)
    html = client.get("/forecasts/").get_data(as_text=True)
    assert 'id="forecast-empty"' in html and "Landlord" not in html and "Rent" not in html.split(
        'id="forecast-empty"')[1]


def test_the_cash_table_totals_several_accounts_and_says_what_has_no_rate(app, client, user_id):
    from decimal import Decimal

    from tests.factories import make_account

    with app.app_context():
        _history(user_id)
        make_account(user_id, "Savings", type="savings", opening_balance=Decimal("250.00"))
        make_account(user_id, "Livret", "EUR", type="savings", opening_balance=Decimal("80.00"))
        db.session.commit()
    html = client.get("/forecasts/").get_data(as_text=True)
    assert 'data-account="total"' in html and 'data-account="Livret"' in html
    assert 'id="cash-left-out"' in html and "Livret is not in the total" in html
