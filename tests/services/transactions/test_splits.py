"""Splits: the lines must add up exactly to the parent; unsplit removes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.services.errors import NotFound
from finance_app.services.transactions.splits import (
    SplitInput,
    SplitMismatch,
    TooFewLines,
    TransferSplit,
    ZeroLine,
    split_transaction,
    unsplit_transaction,
)
from finance_app.services.transactions.transfers import link_transfer
from tests.factories import make_account, make_category, make_txn, make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def test_split_into_exact_decimal_lines_and_unsplit(alice):
    account = make_account(alice.id)
    food, home = make_category(alice.id, "Food"), make_category(alice.id, "Home")
    txn = make_txn(account, "-0.30")
    split_transaction(db.session, scope_of(alice), txn.id, [
        SplitInput(Decimal("-0.10"), food.id, "snacks"), SplitInput(Decimal("-0.20"), home.id),
    ])
    db.session.commit()
    assert [(line.amount, line.category_id) for line in txn.splits] == [
        (Decimal("-0.1000"), food.id), (Decimal("-0.2000"), home.id)]
    assert sum(line.amount for line in txn.splits) == txn.amount
    assert txn.is_locked("category")
    unsplit_transaction(db.session, scope_of(alice), txn.id)
    db.session.commit()
    assert txn.splits == []


def test_lines_that_do_not_add_up_are_refused_with_the_difference(alice):
    account = make_account(alice.id)
    txn = make_txn(account, "-100.00")
    with pytest.raises(SplitMismatch) as error:
        split_transaction(db.session, scope_of(alice), txn.id,
                          [SplitInput(Decimal("-60.00")), SplitInput(Decimal("-39.99"))])
    assert "-$99.99" in error.value.message and "-$0.01 left" in error.value.message
    assert txn.splits == []


@pytest.mark.parametrize(("lines", "error"), [
    ([SplitInput(Decimal("-10.00"))], TooFewLines),
    ([SplitInput(Decimal("-10.00")), SplitInput(Decimal("0"))], ZeroLine),
])
def test_degenerate_splits_are_refused(alice, lines, error):
    txn = make_txn(make_account(alice.id), "-10.00")
    with pytest.raises(error):
        split_transaction(db.session, scope_of(alice), txn.id, lines)


def test_split_refuses_transfers_foreign_categories_and_foreign_rows(alice):
    bob = make_user("bob@example.com")
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    txn = make_txn(checking, "-10.00")
    theirs = make_category(bob.id, "Theirs")
    with pytest.raises(NotFound):
        split_transaction(db.session, scope_of(alice), txn.id, [
            SplitInput(Decimal("-5"), theirs.id), SplitInput(Decimal("-5"))])
    with pytest.raises(NotFound):
        split_transaction(db.session, scope_of(bob), txn.id, [
            SplitInput(Decimal("-5")), SplitInput(Decimal("-5"))])
    into = make_txn(savings, "10.00")
    link_transfer(db.session, scope_of(alice), txn.id, into.id)
    with pytest.raises(TransferSplit):
        split_transaction(db.session, scope_of(alice), txn.id, [
            SplitInput(Decimal("-5")), SplitInput(Decimal("-5"))])
