"""Households with constructed histories: a Netflix subscription, a rent, and everyday noise."""

from __future__ import annotations

from datetime import date

from finance_app.ml.schedule import add_months
from tests.factories import make_account, make_category, make_txn


def add_monthly(account, merchant: str, amount: str, first: date, count: int, *,
                category=None, skip: tuple[date, ...] = ()):
    rows = []
    for n in range(count):
        day = add_months(first, n)
        if day not in skip:
            rows.append(make_txn(account, amount, day, merchant, category=category))
    return rows


def netflix_household(user, *, months: int = 6, first: date = date(2025, 1, 3)):
    checking = make_account(user, "Checking")
    subscriptions = make_category(user, "Subscriptions")
    add_monthly(checking, "Netflix", "-15.49", first, months, category=subscriptions)
    add_monthly(checking, "Landlord", "-1200.00", date(2025, 1, 1), months)
    return checking
