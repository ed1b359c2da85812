"""The fixed ledger the question suite answers from (today is 3 December 2026), with every
figure worked out by hand beside the rows that make it."""

from __future__ import annotations

from datetime import date
from typing import Any

from finance_app.extensions import db
from finance_app.models.ledger import TRANSFER
from tests.factories import account, category, make_account, make_category, make_txn

TODAY = date(2026, 12, 3)


def build_ask_ledger(owner: Any) -> dict[str, Any]:
    """Rows of `owner`'s household; returns the accounts and categories made."""
    checking, visa = account(owner, "Checking"), make_account(owner, "Visa Card")
    restaurants, groceries = category(owner, "Restaurants"), category(owner, "Groceries")
    shopping, travel = category(owner, "Shopping"), category(owner, "Travel")
    rent, salary = category(owner, "Rent"), category(owner, "Salary")
    coffee = make_category(owner, "Coffee")
    card_payment = make_category(owner, "Card payment", kind=TRANSFER)

    def txn(acct: Any, amount: str, on: date, merchant: str, cat: Any, **kw: Any) -> None:
        make_txn(acct, amount, on, merchant, category=cat, **kw)

    # Restaurants: October 100.00 (2 rows); November 25.50 + 64.50 - 10.00 refund = 80.00.
    txn(visa, "-30.00", date(2026, 10, 5), "Chipotle", restaurants)
    txn(visa, "-70.00", date(2026, 10, 20), "Olive Garden", restaurants)
    txn(visa, "-25.50", date(2026, 11, 10), "Chipotle", restaurants)
    txn(checking, "-64.50", date(2026, 11, 22), "Olive Garden", restaurants)
    txn(checking, "10.00", date(2026, 11, 26), "Olive Garden", restaurants)
    # Groceries 2026: 120 + 80 + 100 + 60 + 90 = 450.00 over 5 (average 90.00); 2025: 75.00.
    for amount, on in (("-120.00", date(2026, 1, 15)), ("-80.00", date(2026, 3, 10)),
                       ("-100.00", date(2026, 6, 5)), ("-60.00", date(2026, 10, 12)),
                       ("-90.00", date(2026, 11, 18)), ("-75.00", date(2025, 12, 20))):
        txn(checking, amount, on, "Whole Foods Market", groceries)
    # Coffee at Starbucks: October 3 times (5.00 + 5.50 + 6.00 = 16.50), November once.
    for amount, on in (("-5.00", date(2026, 10, 2)), ("-5.50", date(2026, 10, 9)),
                       ("-6.00", date(2026, 10, 16)), ("-5.00", date(2026, 11, 3))):
        txn(visa, amount, on, "Starbucks", coffee)
    # Shopping. Since 1 March 2026: Amazon 250 + 30 = 280.00, Target 60 + 40 = 100.00.
    txn(visa, "-45.00", date(2026, 2, 10), "Amazon", shopping)
    txn(visa, "-250.00", date(2026, 4, 15), "Amazon", shopping)
    txn(visa, "-30.00", date(2026, 9, 1), "Amazon", shopping)
    txn(visa, "-899.99", date(2025, 7, 4), "Amazon", shopping)
    txn(checking, "-60.00", date(2026, 3, 20), "Target", shopping)
    txn(checking, "-40.00", date(2026, 8, 14), "Target", shopping)
    txn(checking, "-120.00", date(2025, 11, 28), "Target", shopping)
    # Excluded by the user: never counted.
    txn(visa, "-999.00", date(2026, 11, 15), "Amazon", shopping, is_excluded=True)
    # Travel: 2024 400 + 200 = 600.00; 2025 350 + 500 = 850.00.
    txn(visa, "-400.00", date(2024, 7, 10), "Delta", travel)
    txn(visa, "-200.00", date(2024, 12, 1), "Hilton", travel)
    txn(visa, "-350.00", date(2025, 5, 20), "Delta", travel)
    txn(visa, "-500.00", date(2025, 8, 2), "Airbnb", travel)
    # Rent 1,500.00 on the 1st, July to December 2026 (Q3: 4,500.00).
    for month in range(7, 13):
        txn(checking, "-1500.00", date(2026, month, 1), "Landlord", rent)
    # Salary: Q2 2026 4000 + 4000 + 4000.50 = 12,000.50; July 4,000.00.
    for amount, on in (("4000.00", date(2026, 4, 30)), ("4000.00", date(2026, 5, 29)),
                       ("4000.50", date(2026, 6, 30)), ("4000.00", date(2026, 7, 31))):
        txn(checking, amount, on, "Acme Corp", salary)
    # Paying the card: a transfer, neither spending nor income.
    txn(checking, "-500.00", date(2026, 11, 28), "Visa payment", card_payment)
    txn(visa, "500.00", date(2026, 11, 28), "Visa payment", card_payment)
    db.session.flush()
    return {"checking": checking, "visa": visa, "restaurants": restaurants,
            "groceries": groceries, "shopping": shopping, "coffee": coffee}
