"""Every download: an attachment no cache stores (Cache-Control: no-store), and the failed-rows
CSV of an import written by the one export writer (payload text neutralized)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import Transaction
from finance_app.models.ledger import ImportBatch
from finance_app.services.transactions import attachments
from tests.factories import household_of, make_account, make_txn, scope_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FAILED_ROWS = [
    {"row": 5, "reason": "Could not read the date \"=1+1\".",
     "raw": {"Date": "=1+1", "Description": "=HYPERLINK(\"http://evil.test\")",
             "Amount": "-12.50"}},
    {"row": 6, "reason": "Could not read the amount \"@SUM(A1)\".",
     "raw": {"Date": "01/06/2025", "Description": "+DINER", "Amount": "@SUM(A1)"}},
]


@pytest.fixture()
def downloads(app, user_id) -> dict[str, str]:
    """One URL per kind of download, all of them the signed-in user's own."""
    with app.app_context():
        account = make_account(user_id, "Checking")
        txn = make_txn(account, "-4.50", date(2025, 1, 2), "Coffee")
        receipt = attachments.add_attachment(db.session, scope_of(user_id), txn.id,
                                             "receipt.png", PNG, app.config["ATTACHMENT_DIR"])
        batch = ImportBatch(household_id=household_of(user_id), created_by_id=user_id,
                            account_id=account.id, filename="bank \"march\".csv",
                            status="completed", errors=FAILED_ROWS, error_count=2)
        db.session.add(batch)
        db.session.commit()
        return {
            "json": "/settings/data/export.json",
            "csv": "/settings/data/transactions.csv",
            "failed_rows": f"/import/{batch.id}/failed-rows.csv",
            "receipt": f"/transactions/attachments/{receipt.id}",
        }


@pytest.mark.parametrize("kind", ["json", "csv", "failed_rows", "receipt"])
def test_every_download_is_an_attachment_no_cache_stores(client, downloads, kind):
    with client.get(downloads[kind]) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.get_data()


def test_failed_rows_come_back_as_text_with_formulas_neutralized(client, downloads):
    response = client.get(downloads["failed_rows"])
    # The quote in the uploaded file's name cannot break out of the header's quoted string.
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="bank march-failed-rows.csv"; filename*=UTF-8\'\'' \
        'bank%20%22march%22-failed-rows.csv'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [
        ["Row", "Reason", "Date", "Description", "Amount"],
        ["5", 'Could not read the date "=1+1".', "'=1+1", "'=HYPERLINK(\"http://evil.test\")",
         "-12.50"],
        ["6", 'Could not read the amount "@SUM(A1)".', "01/06/2025", "'+DINER", "'@SUM(A1)"],
    ]


def test_transactions_csv_neutralizes_payload_text_and_keeps_amounts_numbers(
        app, client, user_id):
    with app.app_context():
        yen = make_account(user_id, "=Yen wallet", currency="JPY")
        dinar = make_account(user_id, "Dinar", currency="KWD")
        make_txn(yen, "-1234.0000", date(2025, 1, 2), "=HYPERLINK(\"http://evil.test\")",
                 raw_description="@SUM(A1:A2)", notes="+1 call me")
        make_txn(dinar, "-12.5000", date(2025, 1, 3), "-Fees", raw_description="\tTAB")
        db.session.commit()
        assert db.session.scalar(select(Transaction.amount).where(
            Transaction.account_id == yen.id)) == -1234
    rows = list(csv.DictReader(io.StringIO(
        client.get("/settings/data/transactions.csv").get_data(as_text=True))))
    assert [(r["account"], r["amount"], r["currency"]) for r in rows] == [
        ("'=Yen wallet", "-1234", "JPY"), ("Dinar", "-12.500", "KWD")]
    assert [(r["merchant"], r["description"], r["notes"]) for r in rows] == [
        ("'=HYPERLINK(\"http://evil.test\")", "'@SUM(A1:A2)", "'+1 call me"),
        ("'-Fees", "'\tTAB", ""),
    ]
