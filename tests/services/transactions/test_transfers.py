"""Transfers: linking rules, unlinking, suggestions, and their exclusion from cash flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import INCOME, TRANSFER, Transaction
from finance_app.services.errors import NotFound
from finance_app.services.scope import scoped
from finance_app.services.transactions import transfers
from finance_app.services.transactions.cashflow import (
    income_filter,
    spending_filter,
    transfer_filter,
)
from tests.factories import make_account, make_category, make_txn, make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def _sum(user, condition):
    return db.session.scalar(
        scoped(Transaction, scope_of(user)).with_only_columns(func.sum(Transaction.amount))
        .where(condition)
    ) or Decimal(0)


def test_link_sets_both_peers_and_the_transfer_category_then_unlink_restores(alice):
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    move = make_category(alice.id, "Transfer", kind=TRANSFER)
    out, into = make_txn(checking, "-250.00"), make_txn(savings, "250.00")
    transfers.link_transfer(db.session, scope_of(alice), out.id, into.id)
    db.session.commit()
    assert (out.transfer_peer_id, into.transfer_peer_id) == (into.id, out.id)
    assert out.category.kind == TRANSFER and into.category.kind == TRANSFER
    assert out.is_locked("category")
    transfers.unlink_transfer(db.session, scope_of(alice), into.id)
    db.session.commit()
    assert out.transfer_peer_id is None and into.transfer_peer_id is None
    assert out.category_id is None and not out.is_locked("category")
    assert move.id  # the category itself stays


@pytest.mark.parametrize(("a", "b", "same_account", "error"), [
    ("-10.00", "-10.00", False, transfers.SignsNotOpposite),
    ("-10.00", "9.99", False, transfers.AmountsDiffer),
    ("-10.00", "10.00", True, transfers.SameAccount),
])
def test_link_refuses_pairs_that_are_not_transfers(alice, a, b, same_account, error):
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    first = make_txn(checking, a)
    second = make_txn(checking if same_account else savings, b)
    with pytest.raises(error):
        transfers.link_transfer(db.session, scope_of(alice), first.id, second.id)


def test_link_allows_different_amounts_across_currencies_and_refuses_relinking(alice):
    usd, eur = make_account(alice.id, "US"), make_account(alice.id, "EU", currency="EUR")
    out, into = make_txn(usd, "-110.00"), make_txn(eur, "100.00")
    transfers.link_transfer(db.session, scope_of(alice), out.id, into.id)
    other = make_txn(eur, "110.00")
    with pytest.raises(transfers.AlreadyLinked):
        transfers.link_transfer(db.session, scope_of(alice), out.id, other.id)


def test_link_refuses_another_users_transaction(alice):
    bob = make_user("bob@example.com")
    mine = make_txn(make_account(alice.id), "-5.00")
    theirs = make_txn(make_account(bob.id), "5.00")
    with pytest.raises(NotFound):
        transfers.link_transfer(db.session, scope_of(alice), mine.id, theirs.id)


def test_suggestions_find_close_opposite_pairs_once_each(alice):
    bob = make_user("bob@example.com")
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    card = make_account(alice.id, "Card")
    eur = make_account(alice.id, "Euro", currency="EUR")
    out = make_txn(checking, "-500.00", date(2025, 5, 1))
    near = make_txn(savings, "500.00", date(2025, 5, 2))
    far = make_txn(card, "500.00", date(2025, 5, 4))  # 3 days: a candidate, but `near` wins
    make_txn(savings, "500.00", date(2025, 5, 9))  # too far apart
    make_txn(checking, "500.00", date(2025, 5, 1))  # same account
    make_txn(eur, "500.00", date(2025, 5, 1))  # other currency
    pay = make_txn(checking, "-75.25", date(2025, 6, 30))
    paid = make_txn(card, "75.25", date(2025, 7, 2))
    linked_out, linked_in = make_txn(checking, "-9.00"), make_txn(savings, "9.00")
    transfers.link_transfer(db.session, scope_of(alice), linked_out.id, linked_in.id)
    make_txn(make_account(bob.id), "500.00", date(2025, 5, 1))  # another user's
    suggestions = transfers.suggest_transfer_pairs(db.session, scope_of(alice), window_days=3)
    pairs = [(s.outflow.id, s.inflow.id, s.days_apart) for s in suggestions]
    assert pairs == [(pay.id, paid.id, 2), (out.id, near.id, 1)]
    assert far.id not in {p[1] for p in pairs}


def test_transfers_are_neither_spending_nor_income(alice):
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    salary = make_category(alice.id, "Salary", kind=INCOME)
    moves = make_category(alice.id, "Card payment", kind=TRANSFER)
    make_txn(checking, "-20.00", merchant="Cafe")
    make_txn(checking, "-5.00", merchant="Hidden", is_excluded=True)
    make_txn(checking, "1000.00", merchant="Payroll", category_id=salary.id)
    make_txn(checking, "-300.00", merchant="Card payment", category_id=moves.id)
    out, into = make_txn(checking, "-250.00"), make_txn(savings, "250.00")
    transfers.link_transfer(db.session, scope_of(alice), out.id, into.id)
    make_txn(checking, "-7.00", merchant="Uncategorized")
    assert _sum(alice.id, spending_filter()) == Decimal("-27.00")
    assert _sum(alice.id, income_filter()) == Decimal("1000.00")
    assert _sum(alice.id, transfer_filter()) == Decimal("-300.00")
    count = db.session.scalar(select(func.count()).select_from(Transaction))
    assert count == 7
