"""The same statement twice (as CSV and OFX, or a later export) is proposed for the account that
already holds its rows, instead of quietly becoming a second account with the same balance."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.ledger import Account, ImportBatch
from tests.factories import household_of, make_account, make_txn

CSV = (b"Date,Description,Amount\n"
       b"01/02/2025,COFFEE SHOP,-4.50\n"
       b"01/03/2025,PAYROLL ACME,2500.00\n"
       b"01/04/2025,GROCERY STORE,-82.10\n"
       b"01/05/2025,BOOKSHOP,-19.99\n")
ROWS = [("-4.50", date(2025, 1, 2), "COFFEE SHOP"), ("2500.00", date(2025, 1, 3), "PAYROLL ACME"),
        ("-82.10", date(2025, 1, 4), "GROCERY STORE")]


def _checking_with_history(app, user_id, rows=ROWS, name="Everyday checking") -> int:
    with app.app_context():
        account = make_account(user_id, name)
        for amount, on, text in rows:
            make_txn(account, amount, on, text.title(), raw_description=text)
        db.session.commit()
        return account.id


def _upload_into_new_account(client, name="Checking from the OFX") -> int:
    form = {"account": "new", "new_account_name": name, "new_account_type": "checking",
            "new_account_currency": "USD", "file": (io.BytesIO(CSV), "statement.csv"),
            "csrf_token": client.csrf_token("/import/")}
    response = client.post("/import/", data=form, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    match = re.search(r"/import/(\d+)/preview", response.headers["Location"])
    assert match
    return int(match.group(1))


def _preview(client, batch_id: int) -> str:
    response = client.get(f"/import/{batch_id}/preview")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_file_whose_rows_are_in_another_account_proposes_that_account(app, client, user_id):
    checking = _checking_with_history(app, user_id)
    batch_id = _upload_into_new_account(client)

    html = _preview(client, batch_id)
    assert 'id="account-suggestion"' in html
    assert "<strong>3 of 4</strong> rows of this file are already in" in html
    assert "Import into Everyday checking instead" in html

    response = client.post_form(f"/import/{batch_id}/account", {"account_id": str(checking)},
                                page=f"/import/{batch_id}/preview")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/import/{batch_id}/preview")
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).account_id == checking
        names = db.session.scalars(select(Account.name).where(
            Account.household_id == household_of(user_id))).all()
        assert names == ["Everyday checking"]  # the empty account made for the draft is gone
    html = _preview(client, batch_id)
    assert 'id="account-suggestion"' not in html  # the draft now goes into an account with rows
    assert "1</span> new transaction" in html


def test_no_proposal_when_the_rows_are_new_or_the_account_has_history(app, client, user_id):
    _checking_with_history(app, user_id, rows=[("-7.00", date(2024, 6, 1), "KIOSK")],
                           name="Old card")
    batch_id = _upload_into_new_account(client)
    assert 'id="account-suggestion"' not in _preview(client, batch_id)

    other = _checking_with_history(app, user_id)
    form = {"account": str(other), "file": (io.BytesIO(CSV), "again.csv"),
            "csrf_token": client.csrf_token("/import/")}
    response = client.post("/import/", data=form, content_type="multipart/form-data")
    again = int(re.search(r"/import/(\d+)/preview", response.headers["Location"]).group(1))
    assert 'id="account-suggestion"' not in _preview(client, again)


def test_an_account_made_by_hand_stays_when_the_draft_moves(app, client, user_id):
    checking = _checking_with_history(app, user_id)
    with app.app_context():
        spare = make_account(user_id, "Spare", created_at=datetime.now() - timedelta(days=3))
        db.session.commit()
        spare_id = spare.id
    form = {"account": str(spare_id), "file": (io.BytesIO(CSV), "statement.csv"),
            "csrf_token": client.csrf_token("/import/")}
    response = client.post("/import/", data=form, content_type="multipart/form-data")
    batch_id = int(re.search(r"/import/(\d+)/preview", response.headers["Location"]).group(1))
    assert 'id="account-suggestion"' in _preview(client, batch_id)

    client.post_form(f"/import/{batch_id}/account", {"account_id": str(checking)},
                     page=f"/import/{batch_id}/preview")
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).account_id == checking
        assert db.session.get(Account, spare_id) is not None


def test_another_households_account_is_not_found_and_nothing_moves(app, client, auth, user_id):
    batch_id = _upload_into_new_account(client)
    stranger = auth.create("stranger@example.com")
    with app.app_context():
        foreign = make_account(stranger, "Not yours").id
        db.session.commit()
        before = db.session.get(ImportBatch, batch_id).account_id

    response = client.post_form(f"/import/{batch_id}/account", {"account_id": str(foreign)},
                                page=f"/import/{batch_id}/preview")
    assert response.status_code == 404
    response = client.post_form(f"/import/{batch_id}/account", {"account_id": "nope"},
                                page=f"/import/{batch_id}/preview")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).account_id == before


def test_moving_needs_a_csrf_token(app, client, user_id):
    checking = _checking_with_history(app, user_id)
    batch_id = _upload_into_new_account(client)
    with app.app_context():
        before = db.session.get(ImportBatch, batch_id).account_id
    client.post(f"/import/{batch_id}/account", data={"account_id": str(checking)})
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).account_id == before
