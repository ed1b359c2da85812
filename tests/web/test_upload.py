"""The import wizard over HTTP: upload, preview (live and plain), confirm, summary, undo, review."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.imports import PendingDuplicate
from finance_app.models.ledger import Account, ImportBatch, Transaction
from tests.factories import household_of

DATA = Path(__file__).resolve().parents[1] / "data" / "bank-exports"
CSV = (b"Date,Description,Amount\n"
       b"01/02/2025,COFFEE SHOP,-4.50\n"
       b"01/03/2025,PAYROLL ACME,2500.00\n"
       b"01/04/2025,GROCERY STORE,-82.10\n")


def _account(app, user_id, name="Checking"):
    with app.app_context():
        account = Account(household_id=household_of(user_id), owner_id=user_id, name=name,
                          currency="USD")
        db.session.add(account)
        db.session.commit()
        return account.id


def _upload(client, account, data=CSV, name="bank.csv", **extra):
    form = {"account": str(account), "file": (io.BytesIO(data), name), **extra}
    form["csrf_token"] = client.csrf_token("/import/")
    return client.post("/import/", data=form, content_type="multipart/form-data")


def _batch_id(response) -> int:
    match = re.search(r"/import/(\d+)/preview", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def _mapping_fields(html: str) -> dict[str, object]:
    """The mapping form's current values, as a browser would submit them."""
    fields: dict[str, object] = {}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                             body)
        if selected:
            fields[name] = selected.group(1) or selected.group(2)
    fields["description_columns"] = re.findall(
        r'<input checked[^>]*name="description_columns"[^>]*value="(\d+)"'
        r'|<input[^>]*name="description_columns"[^>]*value="(\d+)"[^>]*checked', html)
    fields["description_columns"] = [a or b for a, b in fields["description_columns"]]
    return fields


def _count(app, model=Transaction):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_upload_preview_confirm_summary_and_undo(app, client, user_id):
    account = _account(app, user_id)
    response = _upload(client, account)
    assert response.status_code == 303
    batch_id = _batch_id(response)
    assert _count(app) == 0  # nothing is written before confirming

    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    assert "COFFEE SHOP" in page and "-$4.50" in page and "+$2,500.00" in page
    assert "3</span> new transactions to import" in page

    fields = _mapping_fields(page)
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    response = client.post(f"/import/{batch_id}/confirm", data=fields)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/import/{batch_id}")

    summary = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert re.search(r'id="summary-imported">3<', summary)
    assert _count(app) == 3
    with app.app_context():
        amounts = sorted(db.session.scalars(select(Transaction.amount)))
        batch = db.session.get(ImportBatch, batch_id)
        assert batch.upload_key is None  # the upload is deleted once the import ends
    assert amounts == [Decimal("-82.10"), Decimal("-4.50"), Decimal("2500.00")]
    assert list(Path(app.config["UPLOAD_DIR"]).iterdir()) == []

    response = client.post_form(f"/import/{batch_id}/undo", page=f"/import/{batch_id}")
    assert response.status_code == 303
    assert _count(app) == 0
    assert "This import was undone" in client.get(f"/import/{batch_id}").get_data(as_text=True)


def test_changing_the_sign_rerenders_the_preview_as_a_fragment_for_htmx(app, client, user_id):
    account = _account(app, user_id)
    batch_id = _batch_id(_upload(client, account))
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    fields = _mapping_fields(page)
    fields["invert_sign"] = "1"
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")

    response = client.post(f"/import/{batch_id}/preview", data=fields,
                           headers={"HX-Request": "true"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="import-preview">')
    assert "+$4.50" in html and "-$2,500.00" in html
    # Without JavaScript the same form posts, redirects, and the page shows the new choice.
    fields["invert_sign"] = "0"
    response = client.post(f"/import/{batch_id}/preview", data=fields)
    assert response.status_code == 303
    assert "-$4.50" in client.get(f"/import/{batch_id}/preview").get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty."),
        (b"Date,Description,Amount\n", "header.csv", "no transactions below it"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "photo.csv",
         "does not look like a bank export"),
        (b"Name,Town\nAnn,Leeds\nBob,York\n", "people.csv", "No column of dates"),
    ],
)
def test_file_level_failures_show_a_message_and_write_nothing(
    app, client, user_id, content, name, message
):
    account = _account(app, user_id)

    response = _upload(client, account, content, name)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, ImportBatch) == 0
    assert not Path(app.config["UPLOAD_DIR"]).exists() or not any(
        Path(app.config["UPLOAD_DIR"]).iterdir())


def test_a_new_account_is_created_inline_in_the_files_currency(app, client, user_id):
    data = (DATA / "monzo.csv").read_bytes()
    form = {"account": "new", "new_account_name": "Monzo", "new_account_type": "checking",
            "file": (io.BytesIO(data), "monzo.csv"), "csrf_token": client.csrf_token("/import/")}

    response = client.post("/import/", data=form, content_type="multipart/form-data")

    assert response.status_code == 303
    with app.app_context():
        account = db.session.scalars(select(Account).where(
            Account.household_id == household_of(user_id))).one()
        assert (account.name, account.currency) == ("Monzo", "GBP")


def test_an_oversized_upload_gets_a_friendly_413(app, client, user_id):
    account = _account(app, user_id)
    # Small enough that the test client keeps the body in memory.
    app.config["MAX_CONTENT_LENGTH"] = 20 * 1024

    response = _upload(client, account, CSV * 200)

    assert response.status_code == 413
    assert "larger than the 20 KB upload limit" in response.get_data(as_text=True)
    assert _count(app, ImportBatch) == 0


def test_failed_rows_are_listed_in_the_preview_and_downloadable_after(app, client, user_id):
    account = _account(app, user_id)
    data = CSV + b"01/05/2025,BROKEN ROW,twelve\n01/06/2025,DINER,-12.00\n"
    batch_id = _batch_id(_upload(client, account, data))
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    assert re.search(r"<td>5</td><td>Could not read the amount &#34;twelve&#34;", page)

    fields = _mapping_fields(page)
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    client.post(f"/import/{batch_id}/confirm", data=fields)
    response = client.get(f"/import/{batch_id}/failed-rows.csv")

    assert response.headers["Content-Disposition"] == 'attachment; filename="bank-failed-rows.csv"'
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines == ["Row,Reason,Date,Description,Amount",
                     '5,"Could not read the amount ""twelve"".",01/05/2025,BROKEN ROW,twelve']


def test_probable_duplicates_are_reviewed_one_by_one(app, client, user_id):
    account = _account(app, user_id)
    with app.app_context():
        db.session.add(Transaction(household_id=household_of(user_id), account_id=account,
                                   source="plaid",
                                   date=__import__("datetime").date(2025, 1, 1),
                                   amount=Decimal("-4.50"), raw_description="Coffee Shop",
                                   external_id="plaid-1"))
        db.session.commit()
    batch_id = _batch_id(_upload(client, account))
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    assert "Probable duplicate" in page
    fields = _mapping_fields(page)
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    client.post(f"/import/{batch_id}/confirm", data=fields)
    assert _count(app) == 3  # the Plaid row and two new ones

    review = client.get(f"/import/{batch_id}/review").get_data(as_text=True)
    assert "COFFEE SHOP" in review and "synced from your bank" in review
    with app.app_context():
        pending_id = db.session.scalars(select(PendingDuplicate.id)).one()
    response = client.post_form(f"/import/{batch_id}/review/{pending_id}",
                                {"action": "import"}, page=f"/import/{batch_id}/review")
    assert response.status_code == 303
    assert _count(app) == 4
    assert "Nothing left to review" in client.get(f"/import/{batch_id}/review").get_data(
        as_text=True)


def test_cancel_forgets_the_draft_and_its_file(app, client, user_id):
    account = _account(app, user_id)
    batch_id = _batch_id(_upload(client, account))

    response = client.post_form(f"/import/{batch_id}/cancel", page=f"/import/{batch_id}/preview")

    assert response.status_code == 303
    assert _count(app, ImportBatch) == 0
    assert list(Path(app.config["UPLOAD_DIR"]).iterdir()) == []


ID_ROUTES = [
    ("get", "/import/{batch}/preview"),
    ("post", "/import/{batch}/preview"),
    ("post", "/import/{batch}/confirm"),
    ("post", "/import/{batch}/account"),
    ("post", "/import/{batch}/cancel"),
    ("get", "/import/{batch}"),
    ("get", "/import/{batch}/failed-rows.csv"),
    ("post", "/import/{batch}/undo"),
    ("get", "/import/{batch}/review"),
    ("post", "/import/{batch}/review/{pending}"),
    ("post", "/import/{batch}/review/all"),
]


@pytest.mark.parametrize(("method", "url"), ID_ROUTES)
def test_another_users_imports_are_not_found(app, client, auth, method, url):
    owner = auth.create("owner@example.com")
    account = _account(app, owner)
    with app.app_context():
        household = household_of(owner)
        batch = ImportBatch(household_id=household, created_by_id=owner, account_id=account,
                            filename="x.csv", status="completed", upload_key=None)
        db.session.add(batch)
        db.session.flush()
        pending = PendingDuplicate(household_id=household, batch_id=batch.id, account_id=account,
                                   row_number=2, date=__import__("datetime").date(2025, 1, 1),
                                   amount=Decimal("-1"), fingerprint="f" * 64)
        db.session.add(pending)
        db.session.commit()
        ids = {"batch": batch.id, "pending": pending.id}
    auth.create("mallory@example.com")
    auth.login("mallory@example.com")

    target = url.format(**ids)
    if method == "get":
        response = client.get(target)
    else:
        response = client.post_form(target, {"action": "import"}, page="/import/")

    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ImportBatch, ids["batch"]).status == "completed"


def test_the_wizard_needs_a_signed_in_user(client):
    response = client.get("/import/")

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
