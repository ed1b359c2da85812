"""Accounts: validation, balances in one query (exact money), linked-account differences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, Transaction
from finance_app.services import accounts as svc
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.ledger import rates as fx
from finance_app.services.ledger.balances import account_balances
from tests.factories import make_account, make_txn, make_user, scope_of


def _input(name: str = "Checking", **kw) -> svc.AccountInput:
    return svc.AccountInput(name=name, **kw)


def test_create_update_and_validation(ctx):
    user = make_user()
    scope = scope_of(user)
    account = svc.create_account(db.session, scope, _input(
        " Joint ", type="savings", currency="eur", opening_balance=Decimal("12.30"),
        opening_date=date(2024, 1, 1), group_name="Family",
    ))
    assert (account.name, account.currency, account.type) == ("Joint", "EUR", "savings")
    with pytest.raises(svc.DuplicateAccount):
        svc.create_account(db.session, scope, _input("joint"))
    for bad in (_input(""), _input("X", type="piggy"), _input("Y", currency="EURO"),
                _input("Z", color="blue"), _input("W", icon="<script>")):
        with pytest.raises(ValidationFailed):
            svc.create_account(db.session, scope, bad)
    svc.update_account(db.session, scope, account.id, _input("Joint savings", type="savings",
                                                               currency="EUR"))
    assert account.name == "Joint savings"
    other = make_user("b@example.com")
    with pytest.raises(NotFound):
        svc.update_account(db.session, scope_of(other), account.id, _input("Mine now"))


def test_balance_is_exact_and_counts_pending_and_excluded(ctx):
    user = make_user()
    scope = scope_of(user)
    account = make_account(user.id, opening_balance=Decimal("0"))
    make_txn(account, "0.10")
    make_txn(account, "0.20")
    make_txn(account, "-5.00", is_excluded=True)
    make_txn(account, "-1.25", is_pending=True, on=date(2025, 3, 9))
    balance = account_balances(db.session, scope, [account])[account.id]
    assert balance.balance == Decimal("-5.95")
    assert (balance.transaction_count, balance.pending_count) == (4, 1)
    assert balance.pending_total == Decimal("-1.25")
    assert balance.last_date == date(2025, 3, 9)
    tiny = make_account(user.id, "Tiny", opening_balance=Decimal("0"))
    make_txn(tiny, "0.10")
    make_txn(tiny, "0.20")
    assert str(account_balances(db.session, scope, [tiny])[tiny.id].balance) in (
        "0.30", "0.3000"
    )
    assert account_balances(db.session, scope, [tiny])[tiny.id].balance == Decimal("0.3")


def test_balances_of_many_accounts_take_one_query(ctx):
    user = make_user()
    accounts = [make_account(user.id, f"A{i}", opening_balance=Decimal(i)) for i in range(6)]
    for account in accounts[:4]:
        make_txn(account, "1.00")
    scope = scope_of(user)
    statements: list[str] = []
    engine = db.session.get_bind()

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        balances = account_balances(db.session, scope, accounts)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert [balances[a.id].balance for a in accounts] == [
        Decimal(1), Decimal(2), Decimal(3), Decimal(4), Decimal(4), Decimal(5)
    ]


def test_views_convert_to_base_currency_or_report_missing_rate(ctx):
    user = make_user()
    scope = scope_of(user)
    eur = make_account(user.id, "Euro", currency="EUR", opening_balance=Decimal("10.00"))
    gbp = make_account(user.id, "Pound", currency="GBP", opening_balance=Decimal("10.00"))
    fx.set_rate(db.session, scope, date(2024, 1, 1), "EUR", "USD", Decimal("1.1"))
    views = {v.account.id: v for v in svc.build_views(db.session, scope, [eur, gbp], "USD",
                                                       date(2024, 6, 1))}
    assert views[eur.id].base_balance == Decimal("11.00")
    assert views[gbp.id].base_balance is None
    assert str(views[gbp.id].missing_rate) == "no GBP->USD rate on or before 2024-06-01"


def test_linked_account_shows_synced_difference(ctx):
    user = make_user()
    scope = scope_of(user)
    linked = make_account(user.id, "Linked", source="plaid", synced_balance=Decimal("100.00"),
                          opening_balance=Decimal("0"))
    make_txn(linked, "90.50")
    manual = make_account(user.id, "Manual", synced_balance=Decimal("5"))
    views = {v.account.name: v for v in svc.build_views(db.session, scope, [linked, manual],
                                                       "USD")}
    assert views["Linked"].synced_difference == Decimal("9.50")
    assert views["Manual"].synced_difference is None


def test_archive_hides_and_delete_unlinks_transfer_peers(ctx):
    user = make_user()
    scope = scope_of(user)
    a = make_account(user.id, "A")
    b = make_account(user.id, "B")
    out = make_txn(a, "-10.00")
    into = make_txn(b, "10.00", transfer_peer_id=out.id)
    out.transfer_peer_id = into.id
    db.session.flush()
    svc.set_archived(db.session, scope, a.id, True)
    assert [x.name for x in svc.list_accounts(db.session, scope)] == ["B"]
    assert len(svc.list_accounts(db.session, scope, include_archived=True)) == 2
    assert svc.delete_account(db.session, scope, a.id) == 1
    assert db.session.get(Account, a.id) is None
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == 1
    assert db.session.get(Transaction, into.id).transfer_peer_id is None


def test_group_views_by_group_then_type(ctx):
    user = make_user()
    scope = scope_of(user)
    make_account(user.id, "Visa", type="credit_card")
    make_account(user.id, "Main", group_name="Everyday")
    make_account(user.id, "Spare", group_name="Everyday")
    groups = svc.group_views(svc.list_account_views(db.session, scope, "USD"))
    assert [(label, [v.account.name for v in views]) for label, views in groups] == [
        ("Credit card", ["Visa"]), ("Everyday", ["Main", "Spare"])
    ]
