"""Your data: export everything (JSON, CSV) and delete the account."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Account, AuditEvent, Transaction, User
from tests.factories import PASSWORD, household_of, scope_of


def add_ledger(user_id: int) -> None:
    household_id = household_of(user_id)
    account = Account(household_id=household_id, owner_id=user_id, name="Checking",
                      currency="USD")
    db.session.add(account)
    db.session.flush()
    for amount in ("0.10", "0.20", "-1234.56"):
        db.session.add(Transaction(household_id=household_id, created_by_id=user_id,
                                   account_id=account.id, date=date(2025, 1, 2),
                                   amount=Decimal(amount), raw_description="COFFEE 123",
                                   merchant="Coffee"))
    db.session.commit()


def test_json_export_contains_own_data_and_no_secrets(app, auth, client, user_id):
    other = auth.create("bob@example.com")
    with app.app_context():
        add_ledger(user_id)
        add_ledger(other)
    response = client.get("/settings/data/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["profile"]["email"] == "alice@example.com"
    amounts = sorted(Decimal(t["amount"]) for t in document["tables"]["transactions"])
    assert amounts == [Decimal("-1234.56"), Decimal("0.10"), Decimal("0.20")]
    with app.app_context():
        household_id = household_of(user_id)
    assert {t["household_id"] for t in document["tables"]["transactions"]} == {household_id}
    assert "password_hash" not in response.get_data(as_text=True)
    assert "user_sessions" not in document["tables"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event == "data.exported")) == 1


def test_csv_export_keeps_amounts_exact_in_the_currencys_decimals(app, client, user_id):
    with app.app_context():
        add_ledger(user_id)
    lines = client.get("/settings/data/transactions.csv").get_data(as_text=True).splitlines()
    assert lines[0].startswith("date,account,amount,currency")
    assert sorted(line.split(",")[2] for line in lines[1:]) == ["-1234.56", "0.10", "0.20"]


def test_exports_hold_what_the_members_scope_sees_and_no_other_members_private_account(
        app, auth, client, user_id):
    from finance_app.models.household import EDITOR, Membership

    bob = auth.create("bob@example.com")
    with app.app_context():
        household_id = household_of(user_id)
        db.session.add(Membership(household_id=household_id, user_id=bob, role=EDITOR))
        db.session.get(User, bob).current_household_id = household_id
        db.session.commit()
        add_ledger(user_id)
        hidden = Account(household_id=household_id, owner_id=bob, is_private=True,
                         name="Bob only", currency="USD")
        shared = Account(household_id=household_id, owner_id=bob, name="Joint", currency="USD")
        db.session.add_all([hidden, shared])
        db.session.flush()
        for account, amount in ((hidden, "-77.77"), (shared, "-5.00")):
            db.session.add(Transaction(household_id=household_id, created_by_id=bob,
                                       account_id=account.id, date=date(2025, 1, 3),
                                       amount=Decimal(amount), raw_description="X",
                                       merchant=account.name))
        db.session.commit()
        hidden_id = hidden.id
    document = json.loads(client.get("/settings/data/export.json").get_data(as_text=True))
    accounts = {a["name"] for a in document["tables"]["accounts"]}
    assert accounts == {"Checking", "Joint"}
    amounts = sorted(Decimal(t["amount"]) for t in document["tables"]["transactions"])
    assert amounts == [Decimal("-1234.56"), Decimal("-5.00"), Decimal("0.10"), Decimal("0.20")]
    assert hidden_id not in {t["account_id"] for t in document["tables"]["transactions"]}
    csv_text = client.get("/settings/data/transactions.csv").get_data(as_text=True)
    assert "Bob only" not in csv_text and "-77.77" not in csv_text
    assert len(csv_text.splitlines()) == 1 + 4


def test_delete_account_needs_password_and_confirmation(app, client, user_id):
    wrong = client.post_form("/settings/data/delete", {
        "password": PASSWORD, "confirmation": "delete"}, page="/settings/data")
    assert wrong.status_code == 422 and "Type DELETE to confirm." in wrong.get_data(as_text=True)
    bad_password = client.post_form("/settings/data/delete", {
        "password": "wrong wrong wrong", "confirmation": "DELETE"}, page="/settings/data")
    assert bad_password.status_code == 422
    with app.app_context():
        add_ledger(user_id)
        assert db.session.get(User, user_id) is not None
    ok = client.post_form("/settings/data/delete", {
        "password": PASSWORD, "confirmation": "DELETE"}, page="/settings/data")
    assert ok.status_code == 303
    with app.app_context():
        assert db.session.get(User, user_id) is None
        assert db.session.scalar(select(func.count()).select_from(Transaction)) == 0
    assert client.get("/settings/profile").status_code == 302


def test_delete_account_removes_receipt_files(app, client, user_id):
    from finance_app.services.transactions import attachments
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with app.app_context():
        add_ledger(user_id)
        txn = db.session.scalars(select(Transaction)).first()
        receipt = attachments.add_attachment(
            db.session, scope_of(user_id), txn.id, "receipt.png", png, app.config["ATTACHMENT_DIR"])
        db.session.commit()
        path = attachments.storage_path(app.config["ATTACHMENT_DIR"], receipt.storage_key)
    assert path.exists()
    response = client.post_form("/settings/data/delete", {
        "password": PASSWORD, "confirmation": "DELETE"}, page="/settings/data")
    assert response.status_code == 303
    assert not path.exists()


def test_history_restore_requests_get_the_full_page(client, user_id):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/settings/profile", headers=headers).get_data(as_text=True)
