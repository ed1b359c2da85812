"""Every test factory in one place: users and their household scope, accounts, categories,
transactions, and the small hand-computed ledger of the dashboard and budget tests.

An `owner` is a User, a user id or a Scope; rows go into that user's current household. All of
these need an app context and flush (make_user commits, like a sign-up).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.extensions import db
from finance_app.models.ledger import (
    EXPENSE,
    INCOME,
    SOURCE_IMPORT,
    TRANSFER,
    Account,
    Category,
    ExchangeRate,
    SplitLine,
    Transaction,
)
from finance_app.models.user import User
from finance_app.security.passwords import hash_password
from finance_app.services.scope import Scope, scoped

PASSWORD = "correct horse battery staple 42"


# ---------------------------------------------------------------- people


def make_user(
    email: str = "alice@example.com",
    password: str = PASSWORD,
    *,
    verified: bool = True,
    name: str = "Alice",
) -> User:
    """Create and commit a user (with the same provisioning as a sign-up)."""
    from finance_app.db import utcnow
    from finance_app.services.identity import provisioning

    user = User(email=email, password_hash=hash_password(password), name=name)
    if verified:
        user.email_verified_at = utcnow()
    db.session.add(user)
    db.session.flush()
    provisioning.provision_user(db.session, user)
    db.session.commit()
    return user


def scope_of(user: User | int) -> Scope:
    """What a user sees of their current household (the Scope services take)."""
    from finance_app.services.households.membership import member_scope

    person = user if isinstance(user, User) else db.session.get(User, user)
    assert person is not None
    return member_scope(db.session, person)


def household_of(user: User | int) -> int:
    """The id of a user's current household."""
    return int(scope_of(user).household_id)


def _scope(owner: Any) -> Scope:
    return owner if isinstance(owner, Scope) else scope_of(owner)


# ---------------------------------------------------------------- ledger rows


def make_account(owner: Any, name: str = "Checking", currency: str = "USD",
                 **kwargs: Any) -> Account:
    scope = _scope(owner)
    kwargs.setdefault("owner_id", scope.member_id)
    account = Account(household_id=scope.household_id, name=name, currency=currency, **kwargs)
    db.session.add(account)
    db.session.flush()
    return account


def make_category(owner: Any, name: str, kind: str = EXPENSE,
                  parent: Category | None = None) -> Category:
    category = Category(household_id=_scope(owner).household_id, name=name, kind=kind,
                        parent_id=parent.id if parent else None)
    db.session.add(category)
    db.session.flush()
    return category


def make_txn(account: Account, amount: str | Decimal, on: date = date(2025, 3, 1),
             merchant: str = "Shop", *, category: Category | None = None,
             **kwargs: Any) -> Transaction:
    kwargs.setdefault("raw_description", merchant.upper())
    kwargs.setdefault("created_by_id", account.owner_id)
    if category is not None:
        kwargs["category_id"] = category.id
    txn = Transaction(household_id=account.household_id, account_id=account.id, date=on,
                      amount=Decimal(amount), merchant=merchant, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn


def category(owner: Any, name: str) -> Category:
    """The household's leaf category of this name, created under its first group if missing."""
    scope = _scope(owner)
    found = db.session.scalars(
        scoped(Category, scope).where(Category.name == name, Category.parent_id.is_not(None))
    ).first()
    if found is None:
        group = db.session.scalars(scoped(Category, scope).where(
            Category.parent_id.is_(None))).first()
        found = Category(household_id=scope.household_id, name=name,
                         parent_id=group.id if group else None)
        db.session.add(found)
        db.session.flush()
    return found


def account(owner: Any, name: str = "Checking") -> Account:
    """The household's account of this name, created (USD) if missing."""
    scope = _scope(owner)
    found = db.session.scalars(scoped(Account, scope).where(Account.name == name)).first()
    return found if found is not None else make_account(scope, name)


def imported(owner: Any, raw: str, amount: str = "-20.00", acct: Account | None = None,
             **kwargs: Any) -> Transaction:
    """A fresh imported row (no merchant, no category), like the import job creates."""
    scope = _scope(owner)
    acct = acct or account(scope)
    kwargs.setdefault("created_by_id", scope.member_id)
    txn = Transaction(household_id=scope.household_id, account_id=acct.id,
                      date=kwargs.pop("on", date(2025, 5, 1)), amount=Decimal(amount),
                      raw_description=raw, source=SOURCE_IMPORT, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn


# ---------------------------------------------------------------- the hand-computed ledger


@dataclass
class Ledger:
    """A small fixed ledger whose dashboard and budget figures are computed by hand in the tests.

    Base currency USD. March 2026 (the range the tests look at):
      Salary +3000; Groceries -200 and its refund +50 (card); Dining -80 (card); a split at
      Superstore -150 = Groceries -100 + Shopping -50; a linked transfer checking -500 /
      card +500; an excluded Dining -1000 (card); Dining -100 EUR on the EUR account (rate 1.20
      -> 120 USD); -300 in a transfer-kind category; -40 uncategorized ("Mystery").
    February 2026: Salary +3000, Groceries -100 (card). March 2025: Groceries -150 (card).
    """

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


def build_ledger(user: User | int) -> Ledger:
    """The Ledger in the household of `user`, its accounts owned by that user."""
    s = db.session
    scope = scope_of(user)
    user_id = user.id if isinstance(user, User) else int(user)
    household_id = int(scope.household_id)
    checking = make_account(scope, "T Checking", opening_balance=Decimal("1000"))
    card = make_account(scope, "T Card", type="credit_card")
    euro = make_account(scope, "T Euro", "EUR", opening_balance=Decimal("100"))
    food = make_category(scope, "T Food")
    groceries = make_category(scope, "T Groceries", parent=food)
    dining = make_category(scope, "T Dining", parent=food)
    shopping = make_category(scope, "T Shopping")
    salary = make_category(scope, "T Salary", INCOME)
    moves = make_category(scope, "T Moves", TRANSFER)
    s.add_all([
        ExchangeRate(household_id=household_id, date=date(2026, 1, 1), base="EUR", quote="USD",
                     rate=Decimal("1.10")),
        ExchangeRate(household_id=household_id, date=date(2026, 3, 1), base="EUR", quote="USD",
                     rate=Decimal("1.20")),
    ])
    march = lambda d: date(2026, 3, d)  # noqa: E731
    make_txn(checking, "3000", march(1), "Acme Payroll", category=salary)
    make_txn(card, "-200", march(2), "Market", category=groceries)
    make_txn(card, "50", march(5), "Market", category=groceries)
    make_txn(card, "-80", march(6), "Bistro", category=dining)
    split = make_txn(checking, "-150", march(7), "Superstore")
    s.add_all([
        SplitLine(transaction_id=split.id, category_id=groceries.id, amount=Decimal("-100")),
        SplitLine(transaction_id=split.id, category_id=shopping.id, amount=Decimal("-50")),
    ])
    out = make_txn(checking, "-500", march(10), "Card payment")
    into = make_txn(card, "500", march(10), "Card payment")
    out.transfer_peer_id, into.transfer_peer_id = into.id, out.id
    make_txn(card, "-1000", march(11), "Bistro", category=dining, is_excluded=True)
    make_txn(euro, "-100", march(12), "Café", category=dining)
    make_txn(checking, "-300", march(13), "Broker", category=moves)
    make_txn(checking, "-40", march(14), "Mystery")
    make_txn(checking, "3000", date(2026, 2, 1), "Acme Payroll", category=salary)
    make_txn(card, "-100", date(2026, 2, 10), "Market", category=groceries)
    make_txn(card, "-150", date(2025, 3, 10), "Market", category=groceries)
    s.flush()
    return Ledger(user_id, household_id, scope, checking, card, euro, food, groceries, dining,
                  shopping, salary, moves)
