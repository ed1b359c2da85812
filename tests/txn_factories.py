"""Small factories for the transactions tests (accounts, categories, transactions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.extensions import db
from finance_app.models.ledger import EXPENSE, Account, Category, Transaction


def make_account(user_id: int, name: str = "Checking", currency: str = "USD",
                 **kwargs: Any) -> Account:
    account = Account(user_id=user_id, name=name, currency=currency, **kwargs)
    db.session.add(account)
    db.session.flush()
    return account


def make_category(user_id: int, name: str, kind: str = EXPENSE,
                  parent: Category | None = None) -> Category:
    category = Category(user_id=user_id, name=name, kind=kind,
                        parent_id=parent.id if parent else None)
    db.session.add(category)
    db.session.flush()
    return category


def make_txn(account: Account, amount: str | Decimal, on: date = date(2025, 3, 1),
             merchant: str = "Shop", **kwargs: Any) -> Transaction:
    kwargs.setdefault("raw_description", merchant.upper())
    txn = Transaction(user_id=account.user_id, account_id=account.id, date=on,
                      amount=Decimal(amount), merchant=merchant, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn
