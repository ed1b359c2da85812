"""Small factories for the transactions tests (accounts, categories, transactions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.extensions import db
from finance_app.models.ledger import EXPENSE, Account, Category, Transaction


def _household(owner: Any) -> tuple[int, int | None]:
    """(household id, member id) of a Scope, or of a user (or user id) in their household."""
    from tests.conftest import scope_of

    scope = owner if hasattr(owner, "household_id") else scope_of(owner)
    return int(scope.household_id), scope.member_id


def make_account(owner: Any, name: str = "Checking", currency: str = "USD",
                 **kwargs: Any) -> Account:
    household_id, member_id = _household(owner)
    kwargs.setdefault("owner_id", member_id)
    account = Account(household_id=household_id, name=name, currency=currency, **kwargs)
    db.session.add(account)
    db.session.flush()
    return account


def make_category(owner: Any, name: str, kind: str = EXPENSE,
                  parent: Category | None = None) -> Category:
    category = Category(household_id=_household(owner)[0], name=name, kind=kind,
                        parent_id=parent.id if parent else None)
    db.session.add(category)
    db.session.flush()
    return category


def make_txn(account: Account, amount: str | Decimal, on: date = date(2025, 3, 1),
             merchant: str = "Shop", **kwargs: Any) -> Transaction:
    kwargs.setdefault("raw_description", merchant.upper())
    kwargs.setdefault("created_by_id", account.owner_id)
    txn = Transaction(household_id=account.household_id, account_id=account.id, date=on,
                      amount=Decimal(amount), merchant=merchant, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn
