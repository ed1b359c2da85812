"""A small fixed ledger whose dashboard and budget figures are computed by hand in the tests.

Base currency USD. March 2026 (the range the tests look at):
  Salary +3000; Groceries -200 and its refund +50 (card); Dining -80 (card); a split at
  Superstore -150 = Groceries -100 + Shopping -50; a linked transfer checking -500 / card +500;
  an excluded Dining -1000 (card); Dining -100 EUR on the EUR account (rate 1.20 -> 120 USD);
  -300 in a transfer-kind category; -40 uncategorized ("Mystery").
February 2026: Salary +3000, Groceries -100 (card). March 2025: Groceries -150 (card).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.ledger import (
    EXPENSE,
    INCOME,
    TRANSFER,
    Account,
    Category,
    ExchangeRate,
    SplitLine,
    Transaction,
)
from finance_app.models.user import User
from finance_app.services.scope import Scope
from tests.conftest import scope_of


@dataclass
class Ledger:
    user_id: int
    household_id: int
    scope: Scope
    checking: Account
    card: Account
    euro: Account
    food: Category
    groceries: Category
    dining: Category
    shopping: Category
    salary: Category
    moves: Category


def _cat(household_id: int, name: str, kind: str = EXPENSE, parent: Category | None = None
         ) -> Category:
    category = Category(household_id=household_id, name=name, kind=kind,
                        parent_id=parent.id if parent else None)
    db.session.add(category)
    db.session.flush()
    return category


def _txn(account: Account, on: date, amount: str, merchant: str,
         category: Category | None = None, **kwargs: object) -> Transaction:
    kwargs.setdefault("created_by_id", account.owner_id)
    txn = Transaction(household_id=account.household_id, account_id=account.id, date=on,
                      amount=Decimal(amount), merchant=merchant, raw_description=merchant.upper(),
                      category_id=category.id if category else None, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn


def build_ledger(user: User | int) -> Ledger:
    """The ledger in the household of `user` (a User or a user id), owned by that user."""
    s = db.session
    scope = scope_of(user)
    user_id = user.id if isinstance(user, User) else int(user)
    household_id = int(scope.household_id)
    mine = {"household_id": household_id, "owner_id": user_id}
    checking = Account(**mine, name="T Checking", currency="USD",
                       opening_balance=Decimal("1000"))
    card = Account(**mine, name="T Card", type="credit_card", currency="USD")
    euro = Account(**mine, name="T Euro", currency="EUR", opening_balance=Decimal("100"))
    s.add_all([checking, card, euro])
    s.flush()
    food = _cat(household_id, "T Food")
    groceries = _cat(household_id, "T Groceries", parent=food)
    dining = _cat(household_id, "T Dining", parent=food)
    shopping = _cat(household_id, "T Shopping")
    salary = _cat(household_id, "T Salary", INCOME)
    moves = _cat(household_id, "T Moves", TRANSFER)
    s.add_all([
        ExchangeRate(household_id=household_id, date=date(2026, 1, 1), base="EUR", quote="USD",
                     rate=Decimal("1.10")),
        ExchangeRate(household_id=household_id, date=date(2026, 3, 1), base="EUR", quote="USD",
                     rate=Decimal("1.20")),
    ])
    march = lambda d: date(2026, 3, d)  # noqa: E731
    _txn(checking, march(1), "3000", "Acme Payroll", salary)
    _txn(card, march(2), "-200", "Market", groceries)
    _txn(card, march(5), "50", "Market", groceries)
    _txn(card, march(6), "-80", "Bistro", dining)
    split = _txn(checking, march(7), "-150", "Superstore")
    s.add_all([
        SplitLine(transaction_id=split.id, category_id=groceries.id, amount=Decimal("-100")),
        SplitLine(transaction_id=split.id, category_id=shopping.id, amount=Decimal("-50")),
    ])
    out = _txn(checking, march(10), "-500", "Card payment")
    into = _txn(card, march(10), "500", "Card payment")
    out.transfer_peer_id, into.transfer_peer_id = into.id, out.id
    _txn(card, march(11), "-1000", "Bistro", dining, is_excluded=True)
    _txn(euro, march(12), "-100", "Café", dining)
    _txn(checking, march(13), "-300", "Broker", moves)
    _txn(checking, march(14), "-40", "Mystery")
    _txn(checking, date(2026, 2, 1), "3000", "Acme Payroll", salary)
    _txn(card, date(2026, 2, 10), "-100", "Market", groceries)
    _txn(card, date(2025, 3, 10), "-150", "Market", groceries)
    s.flush()
    return Ledger(user_id, household_id, scope, checking, card, euro, food, groceries, dining,
                  shopping, salary, moves)
