"""The demo ledger seeder: about 18 months of data once, never twice, never over real data."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, ExchangeRate, Transaction
from finance_app.services.demo.ledger import DEMO_TRANSACTIONS, seed_demo_ledger
from tests.factories import make_account, make_user


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seeds_once_then_leaves_the_user_alone(ctx):
    user = make_user()
    line = seed_demo_ledger(db.session, user)
    assert line and "5 accounts" in line
    assert _count(Transaction) == DEMO_TRANSACTIONS
    assert _count(ExchangeRate) >= 18
    first = db.session.scalar(select(func.min(Transaction.date)))
    assert date.today() - first <= timedelta(days=18 * 31)
    assert seed_demo_ledger(db.session, user) is None
    assert _count(Transaction) == DEMO_TRANSACTIONS


def test_user_with_an_account_is_not_seeded(ctx):
    user = make_user()
    make_account(user.id, "My real account")
    assert seed_demo_ledger(db.session, user) is None
    assert _count(Account) == 1 and _count(Transaction) == 0
