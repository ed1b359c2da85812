"""The transactions pages: list with filters (full page and HTMX block), exact totals, inline
edits, add/edit/delete, splits, transfers, receipts, bulk actions and saved views."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.models.ledger import TRANSFER, Attachment, SavedView, Transaction
from tests.factories import make_account, make_category, make_txn, scope_of
from tests.services.transactions.test_attachments import PDF, PNG

HX = {"HX-Request": "true"}


@pytest.fixture()
def ledger(app, user_id):
    """A signed-in user's small ledger; returns ids by name."""
    with app.app_context():
        checking = make_account(user_id, "Checking")
        savings = make_account(user_id, "Savings")
        food = make_category(user_id, "Food")
        make_category(user_id, "Transfer", kind=TRANSFER)
        rows = {
            "dime": make_txn(checking, "0.10", date(2025, 1, 3), "Dime refund"),
            "twenty": make_txn(checking, "0.20", date(2025, 1, 4), "Twenty refund"),
            "amazon": make_txn(checking, "-120.00", date(2025, 2, 1), "Amazon",
                               raw_description="AMZN MKTP US*1X2", category_id=food.id),
            "out": make_txn(checking, "-300.00", date(2025, 3, 1), "To savings"),
            "in": make_txn(savings, "300.00", date(2025, 3, 2), "From checking"),
        }
        db.session.commit()
        ids = {name: txn.id for name, txn in rows.items()}
        ids.update(checking=checking.id, savings=savings.id, food=food.id, user=user_id)
        return ids


def text(response):
    return response.get_data(as_text=True)


def test_money_stays_exact_from_the_form_to_the_totals_line(client, ledger):
    page = text(client.get("/transactions/?q=refund"))
    net = '<span class="fw-normal text-body-secondary">net</span> '
    assert f'2 transactions · {net}<span class="tabular">$0.30</span>' in page
    assert "+$0.10" in page and "+$0.20" in page
    response = client.post_form("/transactions/new", {
        "account_id": ledger["checking"], "date": "2025-01-05", "direction": "in",
        "amount": "0.10", "merchant": "Another refund",
    }, page="/transactions/new")
    assert response.status_code == 303
    assert f'3 transactions · {net}<span class="tabular">$0.40</span>' in text(
        client.get("/transactions/?q=refund"))


def test_full_page_for_plain_requests_and_only_the_results_block_for_htmx(client, ledger):
    full = text(client.get("/transactions/?q=amazon"))
    assert "<html" in full and 'id="txn-filters"' in full and 'value="amazon"' in full
    partial = client.get("/transactions/?q=amazon", headers=HX)
    assert partial.headers["Vary"].count("HX-Request") == 1
    body = text(partial)
    assert body.lstrip().startswith('<section id="txn-results"') and "<html" not in body
    assert "Amazon" in body and "AMZN MKTP US*1X2" in body and "Dime refund" not in body
    restore = text(client.get("/transactions/?q=amazon",
                              headers={**HX, "HX-History-Restore-Request": "true"}))
    assert "<html" in restore


def test_filters_sort_and_pages_come_from_the_url(client, ledger, app):
    with app.app_context():
        account = db.session.get(Transaction, ledger["dime"]).account
        for i in range(55):
            make_txn(account, f"-{i + 1}.00", date(2024, 6, 1), f"Bulk {i:02d}")
        db.session.commit()
    first = text(client.get("/transactions/?q=bulk&sort=merchant&dir=asc"))
    assert "55 transactions" in first and "Showing 1–50 of 55" in first
    assert first.index("Bulk 00") < first.index("Bulk 01") and "Bulk 54" not in first
    assert 'href="/transactions/?q=bulk&amp;sort=merchant&amp;dir=asc&amp;page=2"' in first
    second = text(client.get("/transactions/?q=bulk&sort=merchant&dir=asc&page=2"))
    assert "Bulk 54" in second and "Bulk 00" not in second
    filtered = text(client.get(
        f"/transactions/?category={ledger['food']}&from=2025-01-01&to=2025-12-31&min=100"))
    assert "1 transaction " in filtered and "Amazon" in filtered
    assert "Minimum amount ignored" in text(client.get("/transactions/?min=abc"))


def test_inline_edit_with_htmx_and_without_javascript(client, ledger, app):
    url = f"/transactions/{ledger['amazon']}/quick"
    form = text(client.get(url, headers=HX))
    assert form.lstrip().startswith(f'<tr id="txn-{ledger["amazon"]}"')
    assert 'name="merchant"' in form
    response = client.post_form(url, {"merchant": "Amazon Fresh", "category_id": "",
                                      "tags": "groceries, Groceries", "notes": "weekly"},
                                page="/transactions/", headers=HX)
    row = text(response)
    assert response.status_code == 200 and "<html" not in row
    assert "Amazon Fresh" in row and "#groceries" in row and "Uncategorized" in row
    assert "<html" in text(client.get(url))  # the same URL is a full page without JS
    response = client.post_form(url, {"merchant": "Amazon", "category_id": str(ledger["food"]),
                                      "next": "/transactions/?q=amazon"}, page="/transactions/")
    assert response.status_code == 303 and response.headers["Location"].endswith("?q=amazon")
    with app.app_context():
        txn = db.session.get(Transaction, ledger["amazon"])
        assert txn.merchant == "Amazon" and txn.category_id == ledger["food"]
        assert {"merchant", "category", "notes", "tags"} <= set(txn.locked_fields)


def test_add_validation_edit_and_delete_without_javascript(client, ledger, app):
    bad = client.post_form("/transactions/new", {
        "account_id": ledger["checking"], "date": "2025-01-05", "direction": "out",
        "amount": "twelve", "merchant": "Cafe"}, page="/transactions/new")
    assert bad.status_code == 422 and "Enter an amount such as 12.50." in text(bad)
    created = client.post_form("/transactions/new", {
        "account_id": ledger["checking"], "date": "2025-01-05", "direction": "out",
        "amount": "4.75", "merchant": "Cafe", "tags": "coffee"}, page="/transactions/new")
    assert created.status_code == 303
    with app.app_context():
        txn = db.session.query(Transaction).filter_by(merchant="Cafe").one()
        assert txn.amount == Decimal("-4.75") and [t.name for t in txn.tags] == ["coffee"]
        txn_id = txn.id
    edit_page = text(client.get(f"/transactions/{txn_id}/edit"))
    assert 'value="4.75"' in edit_page and 'value="coffee"' in edit_page
    client.post_form(f"/transactions/{txn_id}/edit", {
        "account_id": ledger["checking"], "date": "2025-01-06", "direction": "out",
        "amount": "5.25", "merchant": "Cafe", "notes": "with cake"}, page="/transactions/new")
    with app.app_context():
        txn = db.session.get(Transaction, txn_id)
        assert txn.amount == Decimal("-5.25") and txn.notes == "with cake"
    deleted = client.post_form(f"/transactions/{txn_id}/delete", {}, page="/transactions/new")
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(Transaction, txn_id) is None


def test_split_editor_enforces_the_sum_and_adds_lines(client, ledger, app):
    url = f"/transactions/{ledger['amazon']}/split"
    assert "must add up to exactly" in text(client.get(url))
    lines = {"lines-0-amount": "-100.00", "lines-0-category_id": str(ledger["food"]),
             "lines-1-amount": "-19.99", "lines-1-category_id": ""}
    wrong = client.post_form(url, lines, page=url)
    assert wrong.status_code == 422 and "-$0.01 left to assign" in text(wrong)
    more = client.post_form(url, {**lines, "add_line": "1"}, page=url)
    assert 'name="lines-2-amount"' in text(more)
    ok = client.post_form(url, {**lines, "lines-1-amount": "-20.00"}, page=url)
    assert ok.status_code == 303
    with app.app_context():
        assert sorted(s.amount for s in db.session.get(Transaction, ledger["amazon"]).splits) == [
            Decimal("-100.00"), Decimal("-20.00")]
    assert "Split · 2" in text(client.get("/transactions/?q=amazon"))
    client.post_form(f"/transactions/{ledger['amazon']}/unsplit", {}, page=url)
    with app.app_context():
        assert db.session.get(Transaction, ledger["amazon"]).splits == []


def test_transfer_suggestions_link_in_one_click_and_leave_spending(client, ledger, app):
    page = text(client.get("/transactions/transfers"))
    assert "To savings" in page and "From checking" in page
    response = client.post_form("/transactions/transfers/link", {
        "outflow": ledger["out"], "inflow": ledger["in"]}, page="/transactions/transfers")
    assert response.status_code == 303
    assert "No likely transfers found" in text(client.get("/transactions/transfers"))
    spending = text(client.get("/transactions/?kind=expense"))
    assert "To savings" not in spending and "Amazon" in spending
    assert "To savings" in text(client.get("/transactions/?kind=transfer"))
    client.post_form(f"/transactions/{ledger['out']}/unlink", {}, page="/transactions/")
    with app.app_context():
        assert db.session.get(Transaction, ledger["in"]).transfer_peer_id is None


def test_receipts_upload_by_content_download_as_attachment_and_delete(client, ledger, app):
    url = f"/transactions/{ledger['amazon']}/attachments"
    token = client.csrf_token(f"/transactions/{ledger['amazon']}/edit")
    response = client.post(url, data={"csrf_token": token,
                                      "file": (io.BytesIO(PNG), "receipt.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    refused = client.post(url, data={"csrf_token": token,
                                     "file": (io.BytesIO(b"hello world\n" * 20), "photo.jpg")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "Receipts must be JPEG, PNG or PDF files." in text(refused)
    with app.app_context():
        attachment = db.session.query(Attachment).one()
        attachment_id, key = attachment.id, attachment.storage_key
        assert attachment.content_type == "image/png" and "receipt" not in key
    with client.get(f"/transactions/attachments/{attachment_id}") as download:
        assert download.get_data() == PNG and download.mimetype == "image/png"
        assert download.headers["Content-Disposition"].startswith("attachment;")
        assert "receipt.png" in download.headers["Content-Disposition"]
    client.post_form(f"/transactions/attachments/{attachment_id}/delete", {},
                     page="/transactions/")
    with app.app_context():
        assert db.session.query(Attachment).count() == 0


def test_receipt_size_limit_is_configurable(app, client, ledger):
    app.config["ATTACHMENT_MAX_MB"] = 1
    token = client.csrf_token(f"/transactions/{ledger['amazon']}/edit")
    big = PDF + b"0" * (1024 * 1024)
    response = client.post(f"/transactions/{ledger['amazon']}/attachments",
                           data={"csrf_token": token, "file": (io.BytesIO(big), "big.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "larger than the 1 MB limit" in text(response)


def test_bulk_bar_recategorizes_tags_marks_transfers_and_deletes(client, ledger, app):
    ids = [ledger["dime"], ledger["twenty"]]
    back = "/transactions/?q=refund"
    response = client.post_form("/transactions/bulk", {
        "action": "recategorize", "ids": ids, "category_id": ledger["food"], "next": back},
        page="/transactions/")
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    client.post_form("/transactions/bulk", {"action": "tag", "ids": ids, "tags": "refunds"},
                     page="/transactions/")
    client.post_form("/transactions/bulk", {"action": "transfer",
                                            "ids": [ledger["out"], ledger["in"]]},
                     page="/transactions/")
    with app.app_context():
        rows = [db.session.get(Transaction, i) for i in ids]
        assert {r.category_id for r in rows} == {ledger["food"]}
        assert all([t.name for t in r.tags] == ["refunds"] for r in rows)
        assert db.session.get(Transaction, ledger["out"]).transfer_peer_id == ledger["in"]
    client.post_form("/transactions/bulk", {"action": "delete", "ids": ids},
                     page="/transactions/")
    with app.app_context():
        assert db.session.query(Transaction).count() == 3


def test_saved_views_save_open_and_delete(client, ledger, app):
    page = text(client.get("/transactions/?q=amazon&min=100&from=2025-01-01&to=2025-12-31"))
    query = re.search(r'name="query" type="hidden" value="([^"]*)"', page)
    assert query, "the save-view form carries the current filters"
    response = client.post_form("/transactions/views", {
        "name": "Amazon over $100 in 2025",
        "query": query.group(1).replace("&amp;", "&")}, page="/transactions/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        "/transactions/?q=amazon&min=100&from=2025-01-01&to=2025-12-31")
    listing = text(client.get("/transactions/"))
    assert "Amazon over $100 in 2025" in listing
    with app.app_context():
        view_id = db.session.query(SavedView).one().id
    opened = client.get(f"/transactions/views/{view_id}")
    assert opened.status_code == 302 and "q=amazon" in opened.headers["Location"]
    client.post_form(f"/transactions/views/{view_id}/delete", {}, page="/transactions/")
    with app.app_context():
        assert db.session.query(SavedView).count() == 0


def test_pages_need_a_signed_in_user(client):
    response = client.get("/transactions/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# ---------------------------------------------------------------- another user's ids -> 404


FOREIGN_ROUTES = [
    ("get", "/transactions/{txn}/row"),
    ("get", "/transactions/{txn}/quick"),
    ("post", "/transactions/{txn}/quick"),
    ("get", "/transactions/{txn}/edit"),
    ("post", "/transactions/{txn}/edit"),
    ("post", "/transactions/{txn}/delete"),
    ("get", "/transactions/{txn}/split"),
    ("post", "/transactions/{txn}/split"),
    ("post", "/transactions/{txn}/unsplit"),
    ("post", "/transactions/{txn}/unlink"),
    ("post", "/transactions/{txn}/attachments"),
    ("get", "/transactions/attachments/{attachment}"),
    ("post", "/transactions/attachments/{attachment}/delete"),
    ("get", "/transactions/views/{view}"),
    ("post", "/transactions/views/{view}/delete"),
    ("post", "/transactions/transfers/link"),
    ("post", "/transactions/bulk"),
]


@pytest.mark.parametrize(("method", "route"), FOREIGN_ROUTES)
def test_another_users_ids_are_not_found(app, client, auth, method, route):
    from finance_app.services.transactions import attachments, saved_views, transfers
    bob_id = auth.create("bob@example.com")
    alice_id = auth.create("alice@example.com")
    with app.app_context():
        bob_checking, bob_savings = make_account(bob_id), make_account(bob_id, "Savings")
        txn = make_txn(bob_checking, "-10.00", merchant="Bob's")
        peer = make_txn(bob_savings, "10.00")
        transfers.link_transfer(db.session, scope_of(bob_id), txn.id, peer.id)
        attachment = attachments.add_attachment(db.session, scope_of(bob_id), txn.id, "r.png", PNG,
                                                app.config["ATTACHMENT_DIR"])
        view = saved_views.save_view(db.session, scope_of(bob_id), "Bob's view", "q=x")
        mine = make_txn(make_account(alice_id), "10.00", merchant="Alice's")
        db.session.commit()
        ids = {"txn": txn.id, "attachment": attachment.id, "view": view.id}
        mine_id, txn_id, peer_id = mine.id, txn.id, peer.id
    auth.login("alice@example.com")
    url = route.format(**ids)
    if method == "get":
        response = client.get(url)
    else:
        data = {"merchant": "Hacked", "ids": [txn_id], "action": "delete",
                "outflow": txn_id, "inflow": mine_id, "file": (io.BytesIO(PNG), "x.png"),
                "account_id": "1", "date": "2025-01-01", "direction": "out", "amount": "1"}
        response = client.post_form(url, data, page="/transactions/")
    assert response.status_code == 404
    with app.app_context():
        txn = db.session.get(Transaction, txn_id)
        assert txn is not None and txn.merchant == "Bob's" and txn.transfer_peer_id == peer_id
        assert db.session.query(Attachment).count() == 1
        assert db.session.query(SavedView).count() == 1
