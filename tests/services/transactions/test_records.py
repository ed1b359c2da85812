"""Manual transactions: create, edit with locks, delete, and external updates that respect locks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.ledger import Tag, Transaction
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.transactions import records as svc
from finance_app.services.transactions.tagging import parse_tag_names, tags_by_name
from tests.factories import household_of, make_account, make_category, make_txn, make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def test_create_locks_what_the_person_chose_and_creates_tags(alice, tmp_path):
    account = make_account(alice.id)
    food = make_category(alice.id, "Food stuff")
    txn = svc.create_transaction(db.session, scope_of(alice), svc.TransactionInput(
        account_id=account.id, date=date(2025, 1, 2), amount=Decimal("-12.30"),
        merchant="Corner Deli", category_id=food.id, tags=["Lunch", " lunch ", "Work"],
    ))
    db.session.commit()
    assert txn.amount == Decimal("-12.30") and txn.raw_description == "Corner Deli"
    assert txn.category_id == food.id and txn.category_source == "user"
    assert set(txn.locked_fields) == {"merchant", "category", "tags"}
    assert sorted(t.name for t in txn.tags) == ["Lunch", "Work"]
    # Tags are per household and re-used by name, ignoring case.
    again = tags_by_name(db.session, scope_of(alice), ["WORK"])
    assert again[0].id == next(t.id for t in txn.tags if t.name == "Work")


def test_create_refuses_foreign_account_and_category_and_bad_values(alice):
    bob = make_user("bob@example.com")
    mine = make_account(alice.id)
    theirs = make_account(bob.id)
    their_cat = make_category(bob.id, "Theirs")
    base = dict(date=date(2025, 1, 2), amount=Decimal("-1.00"), merchant="X")
    with pytest.raises(NotFound):
        svc.create_transaction(db.session, scope_of(alice), svc.TransactionInput(
            account_id=theirs.id, **base))
    with pytest.raises(NotFound):
        svc.create_transaction(db.session, scope_of(alice), svc.TransactionInput(
            account_id=mine.id, category_id=their_cat.id, **base))
    with pytest.raises(svc.InvalidAmount):
        svc.create_transaction(db.session, scope_of(alice), svc.TransactionInput(
            account_id=mine.id, date=date(2025, 1, 2), amount=Decimal("1.00001"), merchant="X"))
    with pytest.raises(svc.DescriptionRequired):
        svc.create_transaction(db.session, scope_of(alice), svc.TransactionInput(
            account_id=mine.id, date=date(2025, 1, 2), amount=Decimal("1")))


def test_update_locks_only_fields_that_really_changed(alice):
    account = make_account(alice.id)
    txn = make_txn(account, "-5.00", merchant="AMZN MKTP")
    svc.update_transaction(db.session, scope_of(alice), txn.id, merchant="AMZN MKTP", notes="gift",
                           amount=Decimal("-5.00"))
    assert txn.locked_fields == ["notes"]
    svc.update_transaction(db.session, scope_of(alice), txn.id, merchant="Amazon", tags=["gifts"])
    assert txn.locked_fields == ["merchant", "notes", "tags"]


def test_edited_category_and_merchant_survive_a_reimport_of_the_same_row(alice):
    account = make_account(alice.id)
    groceries = make_category(alice.id, "Groceries")
    shopping = make_category(alice.id, "Shopping")
    txn = make_txn(account, "-42.10", merchant="AMZN MKTP US*2K4", external_id="row-1",
                   category_id=shopping.id, category_source="model")
    svc.update_transaction(db.session, scope_of(alice), txn.id, merchant="Amazon Fresh",
                           category_id=groceries.id)
    db.session.commit()

    # The same row arrives again from the bank with its own values.
    applied = svc.apply_external_update(
        txn, merchant="AMZN MKTP US*2K4", category_id=shopping.id, category_source="rule",
        category_confidence=0.9, raw_description="AMZN MKTP US*2K4 SEATTLE", is_pending=False,
        amount=Decimal("-42.10"), notes="from bank",
    )
    db.session.commit()
    fresh = db.session.get(Transaction, txn.id)
    assert fresh.merchant == "Amazon Fresh"
    assert fresh.category_id == groceries.id and fresh.category_source == "user"
    assert fresh.raw_description == "AMZN MKTP US*2K4 SEATTLE"
    assert fresh.notes == "from bank"  # notes were never edited, so the import may fill them
    assert applied == {"raw_description", "notes"}


def test_external_update_treats_a_split_amount_as_locked_and_refuses_unknown_fields(alice):
    from finance_app.services.transactions.splits import SplitInput, split_transaction

    account = make_account(alice.id)
    txn = make_txn(account, "-10.00")
    split_transaction(db.session, scope_of(alice), txn.id,
                      [SplitInput(Decimal("-4.00")), SplitInput(Decimal("-6.00"))])
    assert svc.apply_external_update(txn, amount=Decimal("-11.00")) == set()
    assert txn.amount == Decimal("-10.00")
    with pytest.raises(TypeError):
        svc.apply_external_update(txn, user_id=99)


def test_amount_of_split_or_transfer_cannot_change_but_other_fields_can(alice):
    from finance_app.services.transactions.splits import SplitInput, split_transaction
    from finance_app.services.transactions.transfers import link_transfer

    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    split = make_txn(checking, "-10.00")
    split_transaction(db.session, scope_of(alice), split.id,
                      [SplitInput(Decimal("-4.00")), SplitInput(Decimal("-6.00"))])
    with pytest.raises(svc.SplitAmountLocked):
        svc.update_transaction(db.session, scope_of(alice), split.id, amount=Decimal("-9.00"))
    out, into = make_txn(checking, "-50.00"), make_txn(savings, "50.00")
    link_transfer(db.session, scope_of(alice), out.id, into.id)
    with pytest.raises(svc.TransferAmountLocked):
        svc.update_transaction(db.session, scope_of(alice), out.id, amount=Decimal("-5.00"))
    svc.update_transaction(db.session, scope_of(alice), out.id, notes="to savings")
    assert out.notes == "to savings"


def test_delete_unlinks_the_transfer_peer_and_refuses_other_users(alice, tmp_path):
    from finance_app.services.transactions.transfers import link_transfer

    bob = make_user("bob@example.com")
    checking, savings = make_account(alice.id), make_account(alice.id, "Savings")
    out, into = make_txn(checking, "-50.00"), make_txn(savings, "50.00")
    link_transfer(db.session, scope_of(alice), out.id, into.id)
    db.session.commit()
    with pytest.raises(NotFound):
        svc.delete_transaction(db.session, scope_of(bob), out.id, tmp_path)
    svc.delete_transaction(db.session, scope_of(alice), out.id, tmp_path)
    db.session.commit()
    assert db.session.get(Transaction, out.id) is None
    assert db.session.get(Transaction, into.id).transfer_peer_id is None


def test_tag_names_are_trimmed_and_deduplicated(alice):
    assert parse_tag_names("Trip,  trip , work  stuff,,") == ["Trip", "work stuff"]
    with pytest.raises(ValidationFailed):
        parse_tag_names(["x" * 61])
    tags_by_name(db.session, scope_of(alice), ["Trip"])
    bob = make_user("bob@example.com")
    tags_by_name(db.session, scope_of(bob), ["trip"])
    assert db.session.scalars(select(Tag.household_id).order_by(Tag.household_id)).all() == [
        household_of(alice), household_of(bob)]
