"""What is due when: matched within a tolerance as paid, else upcoming, late or missed; the
forecast API; stopped and cancelled series; the yearly cost of subscriptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.recurring import DISMISSED
from finance_app.services.recurring import calendar, series
from finance_app.services.recurring.detection import detect_recurring
from tests.factories import make_account, make_txn, make_user, scope_of
from tests.services.recurring.conftest import add_monthly, netflix_household


def _by_merchant(bills):
    return {(b.series.merchant, b.day): b for b in bills}


def test_a_month_of_bills_paid_late_and_upcoming(ctx):
    user = make_user()
    checking = netflix_household(user, months=5)  # Jan..May, rent on the 1st, Netflix the 3rd
    household = scope_of(user).household_id
    detect_recurring(db.session, household, date(2025, 5, 20))
    # June: Netflix arrives two days late and 30 cents dearer; the rent never comes.
    make_txn(checking, "-15.79", date(2025, 6, 5), "Netflix")
    bills = calendar.bills_between(db.session, scope_of(user), date(2025, 6, 1),
                                   date(2025, 6, 30), today=date(2025, 6, 10))
    found = _by_merchant(bills)
    netflix = found[("Netflix", date(2025, 6, 3))]
    assert (netflix.status, netflix.paid_amount, netflix.paid_on) == (
        calendar.PAID, Decimal("-15.79"), date(2025, 6, 5))
    assert found[("Landlord", date(2025, 6, 1))].status == calendar.LATE
    upcoming = calendar.bills_between(db.session, scope_of(user), date(2025, 7, 1),
                                      date(2025, 7, 31), today=date(2025, 6, 10))
    assert {b.status for b in upcoming} == {calendar.UPCOMING}


def test_a_payment_outside_the_tolerance_does_not_match(ctx):
    user = make_user()
    checking = netflix_household(user, months=5)
    detect_recurring(db.session, scope_of(user).household_id, date(2025, 5, 20))
    make_txn(checking, "-15.49", date(2025, 6, 20), "Netflix")   # 17 days off
    make_txn(checking, "-1900.00", date(2025, 6, 1), "Landlord")  # far above the rent
    bills = _by_merchant(calendar.bills_between(db.session, scope_of(user), date(2025, 6, 1),
                                                date(2025, 6, 30), today=date(2025, 6, 25)))
    assert bills[("Netflix", date(2025, 6, 3))].status == calendar.LATE
    assert bills[("Landlord", date(2025, 6, 1))].status == calendar.LATE


def test_a_missed_month_in_the_past_is_missed_not_late(ctx):
    user = make_user()
    checking = make_account(user, "Checking")
    add_monthly(checking, "City Water", "-54.00", date(2025, 1, 12), 8,
                skip=(date(2025, 4, 12),))
    detect_recurring(db.session, scope_of(user).household_id, date(2025, 8, 20))
    april = calendar.bills_between(db.session, scope_of(user), date(2025, 4, 1),
                                   date(2025, 4, 30), today=date(2025, 8, 20))
    assert [(b.day, b.status) for b in april] == [(date(2025, 4, 12), calendar.MISSED)]


def test_upcoming_occurrences_for_forecasts(ctx):
    user = make_user()
    netflix_household(user)
    detect_recurring(db.session, scope_of(user).household_id, date(2025, 6, 20))
    planned = calendar.upcoming_occurrences(db.session, scope_of(user), date(2025, 7, 1),
                                            date(2025, 8, 31), today=date(2025, 6, 20))
    assert [(o.series.merchant, o.day, o.expected_amount) for o in planned] == [
        ("Landlord", date(2025, 7, 1), Decimal("-1200.00")),
        ("Netflix", date(2025, 7, 3), Decimal("-15.49")),
        ("Landlord", date(2025, 8, 1), Decimal("-1200.00")),
        ("Netflix", date(2025, 8, 3), Decimal("-15.49")),
    ]
    landlord = next(o.series for o in planned if o.series.merchant == "Landlord")
    landlord.status = DISMISSED
    db.session.flush()
    assert {o.series.merchant for o in calendar.upcoming_occurrences(
        db.session, scope_of(user), date(2025, 7, 1), date(2025, 8, 31))} == {"Netflix"}


def test_stopped_subscriptions_and_the_yearly_cost(ctx):
    user = make_user()
    checking = netflix_household(user)  # Netflix Jan..Jun
    add_monthly(checking, "Spotify", "-11.99", date(2025, 1, 9), 3)  # Jan..Mar, then nothing
    detect_recurring(db.session, scope_of(user).household_id, date(2025, 6, 20))
    by_name = {s.merchant: s for s in series.list_series(db.session, scope_of(user))}
    assert series.is_stopped(by_name["Spotify"], date(2025, 6, 20))
    assert not series.is_stopped(by_name["Netflix"], date(2025, 6, 20))
    assert series.yearly_subscription_cost(list(by_name.values()), date(2025, 6, 20)) == \
        Decimal("185.88")  # 12 x 15.49; the stopped Spotify does not count
    # A stopped series is no longer expected.
    assert calendar.upcoming_occurrences(db.session, scope_of(user), date(2025, 7, 1),
                                         date(2025, 7, 31), today=date(2025, 6, 20)) \
        and all(o.series.merchant != "Spotify" for o in calendar.upcoming_occurrences(
            db.session, scope_of(user), date(2025, 7, 1), date(2025, 7, 31),
            today=date(2025, 6, 20)))


def test_month_grid_weeks_start_on_monday(ctx):
    grid = calendar.month_grid(date(2025, 6, 1), [])
    assert grid.weeks[0][:6] == [None] * 6 and grid.weeks[0][6] == date(2025, 6, 1)
    assert grid.weeks[-1][0] == date(2025, 6, 30)
