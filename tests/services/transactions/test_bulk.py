"""Bulk actions: all of the selection or nothing; foreign ids change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.models.ledger import Transaction
from finance_app.services.errors import NotFound
from finance_app.services.transactions import bulk
from tests.factories import make_account, make_category, make_txn, make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def test_recategorize_tag_and_delete_a_selection(alice, tmp_path):
    account = make_account(alice.id)
    food = make_category(alice.id, "Food")
    rows = [make_txn(account, f"-{i}.00", merchant=f"M{i}") for i in range(1, 4)]
    ids = [str(t.id) for t in rows]
    assert bulk.recategorize(db.session, scope_of(alice), ids, food.id) == 3
    assert {t.category_id for t in rows} == {food.id}
    assert all(t.is_locked("category") and t.category_source == "user" for t in rows)
    assert bulk.add_tags(db.session, scope_of(alice), ids[:2], ["Trip", "trip", "Work"]) == 2
    assert bulk.add_tags(db.session, scope_of(alice), ids[:1], ["work"]) == 1
    assert sorted(t.name for t in rows[0].tags) == ["Trip", "Work"]
    assert rows[2].tags == []
    assert bulk.delete(db.session, scope_of(alice), ids[1:], tmp_path) == 2
    db.session.commit()
    assert db.session.query(Transaction).count() == 1


def test_a_foreign_id_in_the_selection_changes_nothing(alice, tmp_path):
    bob = make_user("bob@example.com")
    mine = make_txn(make_account(alice.id), "-1.00")
    theirs = make_txn(make_account(bob.id), "-2.00")
    food = make_category(alice.id, "Food")
    db.session.commit()
    for action in (
        lambda ids: bulk.recategorize(db.session, scope_of(alice), ids, food.id),
        lambda ids: bulk.add_tags(db.session, scope_of(alice), ids, ["x"]),
        lambda ids: bulk.delete(db.session, scope_of(alice), ids, tmp_path),
        lambda ids: bulk.mark_transfers(db.session, scope_of(alice), ids),
    ):
        with pytest.raises(NotFound):
            action([mine.id, theirs.id])
        db.session.rollback()
    with pytest.raises(NotFound):
        bulk.recategorize(db.session, scope_of(alice), ["12abc"], food.id)
    assert db.session.get(Transaction, mine.id).category_id is None
    assert db.session.query(Transaction).count() == 2


def test_mark_as_transfer_pairs_the_selection_or_refuses(alice):
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    a_out = make_txn(checking, "-100.00", date(2025, 1, 1))
    b_out = make_txn(checking, "-40.00", date(2025, 1, 3))
    a_in = make_txn(savings, "100.00", date(2025, 1, 2))
    b_in = make_txn(savings, "40.00", date(2025, 1, 3))
    selection = [a_out.id, b_in.id, a_in.id, b_out.id]
    assert bulk.mark_transfers(db.session, scope_of(alice), selection) == 2
    assert (a_out.transfer_peer_id, b_out.transfer_peer_id) == (a_in.id, b_in.id)
    lonely = make_txn(checking, "-5.00")
    other = make_txn(savings, "6.00")
    with pytest.raises(bulk.CannotPair):
        bulk.mark_transfers(db.session, scope_of(alice), [lonely.id, other.id])
    with pytest.raises(bulk.CannotPair):
        bulk.mark_transfers(db.session, scope_of(alice), [lonely.id])
    assert lonely.transfer_peer_id is None
    assert Decimal("-5.00") == lonely.amount
