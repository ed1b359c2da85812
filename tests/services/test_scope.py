"""The one scoped path to a household's rows (and to a person's own rows)."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.models.household import EDITOR, Membership
from finance_app.models.ledger import Account, Attachment, Transaction
from finance_app.models.user import UserSession
from finance_app.services.errors import NotFound
from finance_app.services.scope import (
    household_scope,
    load_scope,
    owned,
    owned_by_user,
    scoped,
)
from finance_app.services.transactions import records as transactions
from finance_app.services.transactions.search import TransactionFilter, search_transactions
from tests.factories import household_of, make_account, make_txn, make_user, scope_of


def test_owned_by_user_finds_own_rows_and_hides_others(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    row = UserSession(user_id=bob.id, token_hash="x" * 64)
    db.session.add(row)
    db.session.commit()
    assert owned_by_user(db.session, UserSession, row.id, bob.id) is row
    with pytest.raises(NotFound):
        owned_by_user(db.session, UserSession, row.id, alice.id)
    with pytest.raises(NotFound):
        owned_by_user(db.session, UserSession, "not-a-number", bob.id)
    with pytest.raises(NotFound):
        owned_by_user(db.session, UserSession, 999999, bob.id)


def test_owned_finds_own_household_rows_and_hides_other_households(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    assert household_of(alice) != household_of(bob)
    account = make_account(bob)
    txn = make_txn(account, "-1.00")
    db.session.commit()
    assert owned(db.session, Account, account.id, scope_of(bob)) is account
    assert owned(db.session, Transaction, txn.id, scope_of(bob)) is txn
    with pytest.raises(NotFound):
        owned(db.session, Account, account.id, scope_of(alice))
    with pytest.raises(NotFound):
        owned(db.session, Transaction, txn.id, scope_of(alice))
    with pytest.raises(NotFound):
        owned(db.session, Transaction, "not-a-number", scope_of(bob))
    with pytest.raises(NotFound):
        owned(db.session, Transaction, 999999, scope_of(bob))
    assert db.session.scalars(scoped(Transaction, scope_of(alice))).all() == []
    # A user id is not a household: the scope of a user's household is not their id.
    with pytest.raises(NotFound):
        load_scope(db.session, household_of(alice), bob.id)


def test_another_members_private_account_and_its_transactions_do_not_exist_for_a_member(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    household_id = household_of(alice)
    db.session.add(Membership(household_id=household_id, user_id=bob.id, role=EDITOR))
    bob.current_household_id = household_id
    db.session.commit()
    alice_scope, bob_scope = scope_of(alice), scope_of(bob)
    assert bob_scope == load_scope(db.session, household_id, bob.id)
    assert alice_scope.household_id == bob_scope.household_id == household_id

    shared = make_account(alice_scope, "Joint")
    private = make_account(alice_scope, "Alice only", is_private=True, owner_id=alice.id)
    bobs_private = make_account(bob_scope, "Bob only", is_private=True, owner_id=bob.id)
    shared_txn = make_txn(shared, "-10.00", merchant="Groceries")
    private_txn = make_txn(private, "-20.00", merchant="Gift for Bob")
    bobs_txn = make_txn(bobs_private, "-30.00", merchant="Gift for Alice")
    receipt = Attachment(household_id=household_id, transaction_id=private_txn.id,
                         filename="r.png", content_type="image/png", size=1, storage_key="k")
    db.session.add(receipt)
    db.session.commit()
    # Scopes are built after the accounts exist: the private ones are hidden from the other.
    alice_scope, bob_scope = scope_of(alice), scope_of(bob)
    assert bob_scope.hidden_account_ids == frozenset({private.id})
    assert alice_scope.hidden_account_ids == frozenset({bobs_private.id})

    # Bob: Alice's private account, its transactions and their receipts are not found.
    with pytest.raises(NotFound):
        owned(db.session, Account, private.id, bob_scope)
    with pytest.raises(NotFound):
        owned(db.session, Transaction, private_txn.id, bob_scope)
    with pytest.raises(NotFound):
        owned(db.session, Attachment, receipt.id, bob_scope)
    with pytest.raises(NotFound):
        transactions.get_transaction(db.session, bob_scope, private_txn.id)
    # ... nor listed.
    assert set(db.session.scalars(scoped(Account, bob_scope)).all()) == {shared, bobs_private}
    assert set(db.session.scalars(scoped(Transaction, bob_scope)).all()) == {shared_txn, bobs_txn}
    assert db.session.scalars(scoped(Attachment, bob_scope)).all() == []
    found = search_transactions(db.session, bob_scope, TransactionFilter.from_query_string(""))
    assert {t.id for t in found.items} == {shared_txn.id, bobs_txn.id} and found.count == 2
    # Not even when asked for by account.
    by_account = search_transactions(
        db.session, bob_scope, TransactionFilter.from_query_string(f"account={private.id}"))
    assert by_account.items == [] and by_account.count == 0

    # Alice sees her own private account, but not Bob's.
    assert owned(db.session, Transaction, private_txn.id, alice_scope) is private_txn
    assert owned(db.session, Attachment, receipt.id, alice_scope) is receipt
    with pytest.raises(NotFound):
        owned(db.session, Account, bobs_private.id, alice_scope)
    with pytest.raises(NotFound):
        owned(db.session, Transaction, bobs_txn.id, alice_scope)
    assert set(db.session.scalars(scoped(Transaction, alice_scope)).all()) == {
        shared_txn, private_txn}

    # A job for the whole household sees every account.
    whole = household_scope(household_id)
    assert set(db.session.scalars(scoped(Transaction, whole)).all()) == {
        shared_txn, private_txn, bobs_txn}
