"""The 90-day cash forecast on a constructed account: known bills and pay on their days, the
rest at its usual monthly pace."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.recurring import CONFIRMED, RecurringSeries
from finance_app.services.forecasts.cash import forecast_cash
from finance_app.services.ledger.periods import MONTH, add_periods
from tests.factories import make_account, make_category, make_txn, scope_of

TODAY = date.today()


def _series(account, merchant: str, amount: str, anchor: int, kind: str) -> RecurringSeries:
    last = add_periods(TODAY.replace(day=1), MONTH, -1).replace(day=anchor)
    return RecurringSeries(
        household_id=account.household_id, account_id=account.id, merchant=merchant,
        merchant_key=merchant.lower(), interval="monthly", anchors=[anchor], kind=kind,
        currency="USD", expected_amount=Decimal(amount), amount_low=Decimal(amount),
        amount_high=Decimal(amount), first_seen=add_periods(last, MONTH, -7), last_seen=last,
        next_due=add_periods(last, MONTH, 1), occurrences=8, confidence=0.9,
        status=CONFIRMED)


def test_known_items_land_on_their_days_and_the_rest_at_its_pace(app, user_id):
    with app.app_context():
        checking = make_account(user_id, "Checking", type="checking",
                                opening_balance=Decimal("1000.00"))
        food = make_category(user_id, "Groceries")
        for back in range(1, 9):
            month = add_periods(TODAY.replace(day=1), MONTH, -back)
            make_txn(checking, "3000.00", month.replace(day=1), "Payroll")
            make_txn(checking, "-1500.00", month.replace(day=3), "Landlord")
            make_txn(checking, "-500.00", month.replace(day=10), "Market", category=food)
        db.session.add_all([_series(checking, "Payroll", "3000.00", 1, "income"),
                            _series(checking, "Landlord", "-1500.00", 3, "bill")])
        db.session.commit()
        today_balance = Decimal("1000.00") + 8 * Decimal("1000.00")
        forecast = forecast_cash(db.session, scope_of(user_id), "USD", TODAY)
    (account,) = forecast.accounts
    assert account.today == today_balance
    # Everything but the known pay and rent: the groceries.
    assert account.rest.amount == Decimal("-500.00")
    assert account.rest.low == account.rest.high == Decimal("-500.00")
    assert len(account.points) == 90
    assert {o.series.merchant for o in account.known} == {"Payroll", "Landlord"}
    assert 5 <= len(account.known) <= 6  # three months of each, less one already past

    expected = today_balance
    for offset in range(1, 91):
        day = TODAY + timedelta(days=offset)
        expected += Decimal("-500.00") / monthrange(day.year, day.month)[1]
        if day.day == 1:
            expected += Decimal("3000.00")
        if day.day == 3:
            expected += Decimal("-1500.00")
    assert abs(account.at(90).balance - expected) <= Decimal("0.01")
    assert account.at(90).low == account.at(90).high == account.at(90).balance


def test_no_cash_account_means_no_forecast(app, user_id):
    with app.app_context():
        make_account(user_id, "Visa", type="credit_card")
        db.session.commit()
        assert forecast_cash(db.session, scope_of(user_id), "USD", TODAY).is_empty


def test_the_range_grows_with_the_square_root_of_the_months(app, user_id):
    with app.app_context():
        checking = make_account(user_id, "Checking", type="checking")
        for back in range(1, 13):
            month = add_periods(TODAY.replace(day=1), MONTH, -back)
            make_txn(checking, "-400.00" if back % 2 else "-600.00", month.replace(day=10),
                     "Market")
        db.session.commit()
        (account,) = forecast_cash(db.session, scope_of(user_id), "USD", TODAY).accounts
    monthly_width = account.rest.high - account.rest.low
    assert monthly_width > 0
    at_90 = account.at(90)
    expected = monthly_width * (Decimal(90) / Decimal("30.4375")).sqrt()
    assert abs((at_90.high - at_90.low) - expected) <= Decimal("0.02")
    assert at_90.low < at_90.balance < at_90.high


def test_the_total_converts_at_todays_rate_and_names_an_account_with_no_rate(app, user_id):
    from finance_app.models.ledger import ExchangeRate
    from tests.factories import household_of

    with app.app_context():
        make_account(user_id, "Checking", type="checking", opening_balance=Decimal("1000.00"))
        make_account(user_id, "Livret", "EUR", type="savings", opening_balance=Decimal("500.00"))
        make_account(user_id, "Pounds", "GBP", type="cash", opening_balance=Decimal("40.00"))
        db.session.add_all([
            ExchangeRate(household_id=household_of(user_id), date=TODAY - timedelta(days=400),
                         base="EUR", quote="USD", rate=Decimal("1.05")),
            ExchangeRate(household_id=household_of(user_id), date=TODAY - timedelta(days=3),
                         base="EUR", quote="USD", rate=Decimal("1.1000")),
            # A rate after today is not today's rate.
            ExchangeRate(household_id=household_of(user_id), date=TODAY + timedelta(days=3),
                         base="EUR", quote="USD", rate=Decimal("2.00")),
        ])
        db.session.commit()
        forecast = forecast_cash(db.session, scope_of(user_id), "USD", TODAY)
    total = forecast.total
    assert total is not None and total.currency == "USD"
    assert total.today == Decimal("1550.00")  # 1000 + 500 x 1.10; the pounds have no rate
    assert total.at(90).balance == Decimal("1550.00")
    assert total.converted == ("Livret",) and total.left_out == ("Pounds",)
    assert [a.name for a in forecast.in_currency("USD")] == ["Checking"]
