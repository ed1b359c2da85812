"""Net worth by hand-computed expectations: liabilities, a EUR account, archived and excluded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.models.ledger import Account
from finance_app.services.ledger import balances as networth
from finance_app.services.ledger import rates as fx
from finance_app.services.scope import scoped
from tests.factories import make_account, make_txn, make_user, scope_of

JAN1 = date(2024, 1, 1)


@pytest.fixture()
def household(ctx):
    user = make_user()
    scope = scope_of(user)
    checking = make_account(user.id, "Checking", opening_balance=Decimal("1000"), opening_date=JAN1)
    make_txn(checking, "500.00", on=date(2024, 1, 10))
    make_txn(checking, "-200.00", on=date(2024, 2, 5), is_excluded=True)  # still moves money
    card = make_account(user.id, "Card", type="credit_card", opening_date=JAN1)
    make_txn(card, "-300.00", on=date(2024, 1, 15))
    make_txn(card, "100.00", on=date(2024, 2, 20))
    euro = make_account(user.id, "Euro", currency="EUR", opening_balance=Decimal("100"),
                        opening_date=JAN1)
    make_txn(euro, "100.00", on=date(2024, 2, 10))
    make_account(user.id, "Loan", type="loan", opening_balance=Decimal("-5000"), opening_date=JAN1)
    make_account(user.id, "Hidden", type="savings", opening_balance=Decimal("9999"),
                 opening_date=JAN1, include_in_net_worth=False)
    cash = make_account(user.id, "Old cash", type="cash", opening_balance=Decimal("40"),
                        opening_date=JAN1, is_archived=True)
    make_txn(cash, "10.00", on=date(2024, 1, 20))
    fx.set_rate(db.session, scope, JAN1, "EUR", "USD", Decimal("1.10"))
    fx.set_rate(db.session, scope, date(2024, 2, 1), "EUR", "USD", Decimal("1.20"))
    return user


def _triples(history):
    return [(p.day, p.assets, p.liabilities, p.net) for p in history.points]


def test_monthly_history(household):
    history = networth.net_worth_history(db.session, scope_of(household), "USD", "month",
                                         end=date(2024, 2, 29))
    assert _triples(history) == [
        (date(2024, 1, 31), Decimal("1610"), Decimal("5300"), Decimal("-3690")),
        (date(2024, 2, 29), Decimal("1540"), Decimal("5200"), Decimal("-3660")),
    ]
    assert history.missing == [] and all(p.complete for p in history.points)
    assert history.change == Decimal("30")


def test_monthly_history_is_the_daily_history_at_its_sample_days(household):
    """Monthly points sum each month in one row: they must be the daily figures on the same
    days, whatever the start and end days and with activity before the start and after the
    end (which the month's row must leave out)."""
    account = db.session.scalars(scoped(Account, scope_of(household))
                                 .where(Account.name == "Checking")).one()
    make_txn(account, "-25.00", on=date(2024, 3, 3))
    make_txn(account, "-7.50", on=date(2024, 3, 9))
    make_txn(account, "1000.00", on=date(2024, 3, 20))  # after most ends below
    ranges = [(None, date(2024, 3, 10)), (date(2024, 1, 12), date(2024, 3, 10)),
              (date(2024, 2, 6), date(2024, 2, 29)), (date(2024, 1, 16), date(2024, 3, 31))]
    for start, end in ranges:
        monthly = networth.net_worth_history(db.session, scope_of(household), "USD", "month",
                                             start=start, end=end)
        daily = networth.net_worth_history(db.session, scope_of(household), "USD", "day",
                                           start=start, end=end)
        on_day = {p.day: p for p in daily.points}
        assert monthly.points, (start, end)
        assert [(p.day, p.assets, p.liabilities) for p in monthly.points] == [
            (p.day, on_day[p.day].assets, on_day[p.day].liabilities) for p in monthly.points]
    assert monthly.points[-1].assets == Decimal("1540") - Decimal("32.50") + Decimal("1000")


def test_daily_history_with_archived_account_until_its_last_day(household):
    history = networth.net_worth_history(db.session, scope_of(household), "USD", "day",
                                         start=date(2024, 1, 19), end=date(2024, 1, 21))
    assert [(p.day, p.assets, p.liabilities) for p in history.points] == [
        (date(2024, 1, 19), Decimal("1650"), Decimal("5300")),
        (date(2024, 1, 20), Decimal("1660"), Decimal("5300")),
        (date(2024, 1, 21), Decimal("1610"), Decimal("5300")),
    ]


def test_now_matches_the_history_and_starts_at_opening(household):
    now = networth.net_worth_now(db.session, scope_of(household), "USD", date(2024, 3, 15))
    assert now.latest is not None and now.latest.net == Decimal("-3660")
    early = networth.net_worth_history(db.session, scope_of(household), "USD", "day",
                                       start=date(2023, 12, 30), end=date(2024, 1, 1))
    assert [p.day for p in early.points] == [JAN1]
    assert early.points[0].net == Decimal("1000") + Decimal("110") + Decimal("40") - 5000


def test_missing_rate_marks_points_incomplete_and_is_reported(household):
    make_account(household.id, "Pounds", currency="GBP", opening_balance=Decimal("10"),
                 opening_date=JAN1)
    history = networth.net_worth_history(db.session, scope_of(household), "USD", "month",
                                         end=date(2024, 2, 29))
    assert [p.complete for p in history.points] == [False, False]
    assert [str(m) for m in history.missing] == ["no GBP->USD rate on or before 2024-01-31"]
    assert history.points[0].net == Decimal("-3690")  # the pound account is left out


def test_base_currency_euro_converts_dollars_with_the_inverse_rate(household):
    history = networth.net_worth_history(db.session, scope_of(household), "EUR", "month",
                                         start=date(2024, 2, 1), end=date(2024, 2, 29))
    point = history.points[-1]
    # 1 USD = 1/1.20 EUR; each account is converted then rounded to 4 places.
    assert point.assets == Decimal("200") + Decimal("1083.3333")  # 1300 USD
    assert point.liabilities == Decimal("166.6667") + Decimal("4166.6667")  # 200 + 5000 USD
    assert history.missing == []


def test_no_accounts_no_points(ctx):
    user = make_user()
    scope = scope_of(user)
    assert networth.net_worth_history(db.session, scope, "USD").points == []


def test_sample_days_month_ends():
    assert networth.sample_days(date(2024, 1, 15), date(2024, 3, 10), "month") == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 10)
    ]
