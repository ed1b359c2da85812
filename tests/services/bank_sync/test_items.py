"""Linking Items: encrypted token, accounts matched or created, the same login refused twice,
unlinking with or without history, and key rotation."""

from __future__ import annotations

from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Account, PlaidAccount, PlaidItem, Transaction, User
from finance_app.security import crypto
from finance_app.services.bank_sync import items, tokens
from finance_app.services.bank_sync.syncing import SyncOptions, create_run, sync_item
from finance_app.services.errors import DomainError, NotFound
from tests.factories import make_account, make_user, scope_of
from tests.services.bank_sync.conftest import link


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_linking_stores_the_item_with_its_token_encrypted_and_its_accounts(
        owner, plaid, keys, fake_plaid):
    fake_item = fake_plaid.create_item()
    item = items.link_item(db.session, scope_of(owner), plaid,
                           fake_plaid.issue_public_token(fake_item), keys)
    db.session.commit()
    assert item.item_id == fake_item.item_id
    assert item.institution_name == "First Platypus Bank"
    assert fake_item.access_token not in item.access_token_encrypted
    assert tokens.open_access_token(item, keys) == fake_item.access_token
    assert [(a.name, a.mask, a.account_id) for a in item.accounts] == [
        ("Plaid Checking", "0000", None), ("Plaid Credit Card", "3333", None)]
    assert not item.accounts_confirmed


def test_matching_creates_new_accounts_or_uses_the_one_picked(owner, plaid, keys, fake_plaid):
    scope = scope_of(owner)
    mine = make_account(scope, "Joint checking")
    fake_item = fake_plaid.create_item()
    item = items.link_item(db.session, scope, plaid, fake_plaid.issue_public_token(fake_item),
                           keys)
    checking, card = item.accounts
    items.match_accounts(db.session, scope, item, {checking.id: str(mine.id),
                                                   card.id: items.NEW_ACCOUNT})
    db.session.commit()
    assert checking.account_id == mine.id and mine.source == "plaid"
    created = db.session.get(Account, card.account_id)
    assert (created.name, created.type, created.institution) == (
        "Plaid Credit Card", "credit_card", "First Platypus Bank")
    assert item.accounts_confirmed


def test_matching_refuses_a_foreign_account(owner, plaid, keys, fake_plaid):
    stranger = make_user("stranger@example.com")
    theirs = make_account(scope_of(stranger), "Theirs")
    scope = scope_of(owner)
    fake_item = fake_plaid.create_item()
    item = items.link_item(db.session, scope, plaid, fake_plaid.issue_public_token(fake_item),
                           keys)
    with pytest.raises(DomainError):
        items.match_accounts(db.session, scope, item, {item.accounts[0].id: str(theirs.id)})


def test_the_same_institution_login_linked_twice_is_refused(owner, plaid, keys, fake_plaid):
    link(owner, plaid, fake_plaid, keys)
    again = fake_plaid.create_item()  # Plaid made a second Item for the same login
    with pytest.raises(items.AlreadyLinked) as raised:
        items.link_item(db.session, scope_of(owner), plaid, fake_plaid.issue_public_token(again),
                        keys)
    assert "already linked" in raised.value.message
    assert again.removed  # removed at Plaid, so it is not billed
    db.session.rollback()
    assert _count(PlaidItem) == 1


def test_items_of_another_household_are_not_found(owner, plaid, keys, fake_plaid):
    linked = link(owner, plaid, fake_plaid, keys)
    stranger = make_user("stranger@example.com")
    with pytest.raises(NotFound):
        items.get_item(db.session, scope_of(stranger), linked.item.id)
    assert items.list_items(db.session, scope_of(stranger)) == []


@pytest.mark.parametrize("delete_history", [False, True])
def test_unlinking_removes_the_item_at_plaid_and_keeps_or_deletes_history(
        owner, plaid, keys, fake_plaid, delete_history):
    linked = link(owner, plaid, fake_plaid, keys)
    fake_plaid.add(linked.fake_item, fake_plaid.transaction(
        linked.checking_id, "5.00", date(2026, 11, 1), "Bakery"))
    run = create_run(db.session, db.session.get(PlaidItem, linked.item.id), "manual")
    db.session.commit()
    sync_item(db.session, plaid, run.id, keys, SyncOptions(retry_base_seconds=0))

    items.unlink_item(db.session, scope_of(owner), plaid, linked.item.id, keys,
                      delete_history=delete_history)
    db.session.commit()

    assert linked.fake_item.removed
    assert (_count(PlaidItem), _count(PlaidAccount)) == (0, 0)
    assert _count(Transaction) == (0 if delete_history else 1)
    assert _count(Account) == (0 if delete_history else 2)


def test_rotating_keys_re_encrypts_every_token_with_the_first_key(owner, plaid, fake_plaid):
    old = Fernet.generate_key().decode()
    linked = link(owner, plaid, fake_plaid, old)
    user = db.session.get(User, owner.id)
    user.totp_secret_encrypted = crypto.encrypt("JBSWY3DPEHPK3PXP", old)
    db.session.commit()
    new = Fernet.generate_key().decode()

    counts = tokens.rotate_encrypted_secrets(db.session, f"{new},{old}")
    db.session.commit()

    assert counts == {"plaid_tokens": 1, "totp_secrets": 1}
    item = db.session.get(PlaidItem, linked.item.id)
    assert tokens.open_access_token(item, new) == linked.fake_item.access_token
    assert crypto.decrypt(db.session.get(User, owner.id).totp_secret_encrypted,
                          new) == "JBSWY3DPEHPK3PXP"
