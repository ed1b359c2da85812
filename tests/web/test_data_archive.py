"""The full data export (ZIP built by a job) and anonymizing old transactions."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import Account, AuditEvent, Transaction, User
from finance_app.models.household import EDITOR, VIEWER, Membership
from finance_app.models.ledger import SplitLine
from finance_app.services.identity.data_export import list_owned_tables
from tests.factories import PASSWORD, household_of, make_category, scope_of
from tests.web.test_settings_data import add_ledger


def _export(client) -> tuple[zipfile.ZipFile, str]:
    started = client.post_form("/settings/data/archive", {}, page="/settings/data")
    assert started.status_code == 303
    page_url = started.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    assert "Download the ZIP" in page and "rows in" in page and "stored files" in page
    download = client.get(page_url + "/download")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    assert download.mimetype == "application/zip"
    body = download.data
    download.close()  # send_file's handle on the stored ZIP
    return zipfile.ZipFile(io.BytesIO(body)), page_url


def test_zip_holds_every_owned_table_as_csv_and_json_with_a_readme(app, auth, client, user_id):
    from finance_app.services.transactions import attachments

    other = auth.create("bob@example.com")
    with app.app_context():
        add_ledger(user_id)
        add_ledger(other)
        txn = db.session.scalars(select(Transaction).where(
            Transaction.household_id == household_of(user_id))).first()
        attachments.add_attachment(db.session, scope_of(user_id), txn.id, "till slip.png",
                                   b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                                   app.config["ATTACHMENT_DIR"])
        db.session.commit()
        household_id = household_of(user_id)
        expected_tables = [t.name for t in list_owned_tables()]
    archive, _ = _export(client)
    names = set(archive.namelist())
    assert {"README.txt", "profile.json", "transactions.csv"} <= names
    for table in expected_tables:
        assert f"tables/{table}.csv" in names and f"tables/{table}.json" in names
    rows = json.loads(archive.read("tables/transactions.json"))
    assert {r["household_id"] for r in rows} == {household_id}
    assert sorted(Decimal(r["amount"]) for r in rows) == [
        Decimal("-1234.56"), Decimal("0.10"), Decimal("0.20")]
    table_csv = list(csv.DictReader(io.StringIO(archive.read("tables/transactions.csv").decode())))
    assert sorted(Decimal(r["amount"]) for r in table_csv) == [
        Decimal("-1234.56"), Decimal("0.10"), Decimal("0.20")]
    receipts = [n for n in names if n.startswith("files/attachments/")]
    assert len(receipts) == 1 and receipts[0].endswith("till slip.png")
    assert archive.read(receipts[0]).startswith(b"\x89PNG")
    everything = b"".join(archive.read(n) for n in names)
    assert b"password_hash" not in everything and b"bob@example.com" not in everything
    readme = archive.read("README.txt").decode()
    assert "tables/NAME.csv" in readme and "Rows: " in readme
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.details).where(
            AuditEvent.event == "data.exported")) == {"format": "zip"}


def test_another_member_cannot_see_or_download_my_export(app, auth, client, user_id):
    _, page_url = _export(client)
    bob = auth.create("bob@example.com")
    with app.app_context():
        household_id = household_of(user_id)
        db.session.add(Membership(household_id=household_id, user_id=bob, role=EDITOR))
        db.session.get(User, bob).current_household_id = household_id
        db.session.commit()
    auth.logout()
    auth.login("bob@example.com")
    # Bob works in the same household, yet Alice's export is hers alone.
    assert client.get(page_url).status_code == 404
    assert client.get(page_url + "/download").status_code == 404


def test_an_expired_export_says_so(app, client, user_id):
    import shutil

    _, page_url = _export(client)
    shutil.rmtree(app.config["EXPORT_DIR"])
    response = client.get(page_url + "/download", follow_redirects=True)
    assert "That export has expired" in response.get_data(as_text=True)


def test_purge_deletes_archives_past_retention(app, client, user_id):
    import os
    import time
    from pathlib import Path

    from finance_app.tasks.data_export import purge_expired_archives

    _export(client)
    files = list(Path(app.config["EXPORT_DIR"]).rglob("*.zip"))
    assert len(files) == 1
    with app.app_context():
        assert purge_expired_archives() == {"deleted": 0}
        old = time.time() - 25 * 3600
        os.utime(files[0], (old, old))
        assert purge_expired_archives() == {"deleted": 1}
    assert not files[0].exists()


def _ledger_with_categories(user_id: int) -> None:
    add_ledger(user_id)
    coffee = make_category(user_id, "Coffee shops")
    txns = db.session.scalars(select(Transaction).where(
        Transaction.household_id == household_of(user_id)).order_by(Transaction.id)).all()
    txns[0].category_id = coffee.id
    txns[0].notes = "with Sam at the corner"
    account = db.session.get(Account, txns[0].account_id)
    recent = Transaction(household_id=account.household_id, created_by_id=user_id,
                         account_id=account.id, date=date(2026, 6, 1), amount=Decimal("-9.99"),
                         raw_description="NETFLIX.COM 866", merchant="Netflix")
    db.session.add(recent)
    db.session.flush()
    db.session.add(SplitLine(transaction_id=txns[1].id, amount=Decimal("0.20"), note="Sam"))
    db.session.commit()


def test_anonymize_keeps_amounts_and_dates_and_replaces_text_by_category(app, client, user_id):
    with app.app_context():
        _ledger_with_categories(user_id)
    response = client.post_form("/settings/data/anonymize", {
        "before": "2026-01-01", "password": PASSWORD}, page="/settings/data")
    assert response.status_code == 303
    with app.app_context():
        txns = db.session.scalars(select(Transaction).order_by(Transaction.id)).all()
        old, recent = txns[:3], txns[3]
        assert [(t.merchant, t.raw_description, t.notes) for t in old] == [
            ("Coffee shops", "Coffee shops", ""), ("Uncategorized", "Uncategorized", ""),
            ("Uncategorized", "Uncategorized", "")]
        assert [t.amount for t in old] == [Decimal("0.10"), Decimal("0.20"), Decimal("-1234.56")]
        assert {t.date for t in old} == {date(2025, 1, 2)}
        assert (recent.merchant, recent.raw_description) == ("Netflix", "NETFLIX.COM 866")
        assert db.session.scalar(select(SplitLine.note)) == ""
        assert db.session.scalar(select(AuditEvent.details).where(
            AuditEvent.event == "data.anonymized")) == {"before": "2026-01-01", "transactions": 3}
    page = client.get("/settings/data").get_data(as_text=True)
    assert "3 transactions dated before 01 Jan 2026" in page


def test_anonymize_refuses_a_wrong_password_or_a_future_date_and_changes_nothing(
        app, client, user_id):
    with app.app_context():
        _ledger_with_categories(user_id)
    wrong = client.post_form("/settings/data/anonymize", {
        "before": "2026-01-01", "password": "not my password"}, page="/settings/data")
    assert wrong.status_code == 422
    assert "That password is not correct: nothing was changed." in wrong.get_data(as_text=True)
    future = client.post_form("/settings/data/anonymize", {
        "before": "2999-01-01", "password": PASSWORD}, page="/settings/data")
    assert future.status_code == 422
    assert "only past transactions can be anonymized" in future.get_data(as_text=True)
    missing = client.post_form("/settings/data/anonymize", {"password": PASSWORD},
                               page="/settings/data")
    assert missing.status_code == 422
    with app.app_context():
        merchants = sorted(db.session.scalars(select(Transaction.merchant)))
        assert merchants == ["Coffee", "Coffee", "Coffee", "Netflix"]


def test_a_viewer_cannot_anonymize(app, auth, client, user_id):
    bob = auth.create("bob@example.com")
    with app.app_context():
        _ledger_with_categories(user_id)
        household_id = household_of(user_id)
        db.session.add(Membership(household_id=household_id, user_id=bob, role=VIEWER))
        db.session.get(User, bob).current_household_id = household_id
        db.session.commit()
    auth.logout()
    auth.login("bob@example.com")
    page = client.get("/settings/data").get_data(as_text=True)
    assert "Anonymize old transactions" not in page
    response = client.post_form("/settings/data/anonymize", {
        "before": "2026-01-01", "password": PASSWORD}, page="/settings/data")
    assert response.status_code == 403
    assert "your role in this household is viewer" in response.get_data(as_text=True).lower()
    with app.app_context():
        assert "Netflix" in set(db.session.scalars(select(Transaction.merchant)))
        assert "Coffee" in set(db.session.scalars(select(Transaction.merchant)))


def test_split_lines_of_another_members_private_account_stay_out_of_both_exports(
        app, auth, client, user_id):
    """A split line links to a transaction and a category: a shared category is not enough."""
    bob = auth.create("bob@example.com")
    with app.app_context():
        household_id = household_of(user_id)
        db.session.add(Membership(household_id=household_id, user_id=bob, role=EDITOR))
        shared_category = make_category(user_id, "Gifts")
        hidden = Account(household_id=household_id, owner_id=bob, is_private=True,
                         name="Bob only", currency="USD")
        db.session.add(hidden)
        db.session.flush()
        txn = Transaction(household_id=household_id, created_by_id=bob, account_id=hidden.id,
                          date=date(2025, 2, 1), amount=Decimal("-50.00"), raw_description="X")
        db.session.add(txn)
        db.session.flush()
        db.session.add(SplitLine(transaction_id=txn.id, category_id=shared_category.id,
                                 amount=Decimal("-50.00"), note="surprise for Alice"))
        db.session.commit()
    text = client.get("/settings/data/export.json").get_data(as_text=True)
    assert "surprise for Alice" not in text
    assert text.count('"split_lines"') == 1
    archive, _ = _export(client)
    assert json.loads(archive.read("tables/split_lines.json")) == []
