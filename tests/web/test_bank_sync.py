# ruff: noqa: F811  (the Plaid fixtures are imported, then requested by name)
"""Bank sync pages against the fake Plaid server: connect (Link's CSP on that page only),
exchange, account matching, the run's progress, Sync now, re-authentication, unlinking, a
viewer's writes refused; and the webhook with its Plaid-Verification JWT."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.integrations.plaid.webhooks import forget_cached_keys
from finance_app.models import Membership, PlaidItem, SyncRun, Transaction
from finance_app.models.bank_sync import ITEM_GOOD, ITEM_NEEDS_REAUTH, RUN_COMPLETED
from finance_app.models.household import VIEWER
from tests.factories import household_of, make_user
from tests.fakes.plaid_fixtures import app_config, fake_plaid, plaid_server  # noqa: F401

D = date(2026, 11, 2)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _link(client, fake):
    """Link through the pages, as Plaid Link's onSuccess would post; every account new."""
    fake_item = fake.create_item()
    fake.add(fake_item, fake.transaction(fake_item.accounts[0]["account_id"], "12.50", D,
                                         "Blue Bottle Coffee"))
    response = client.post_form("/bank-sync/connect",
                                {"public_token": fake.issue_public_token(fake_item)},
                                page="/bank-sync/")
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    accounts_url = response.headers["Location"]
    assert "/accounts" in accounts_url
    return fake_item, accounts_url


def test_the_connect_page_allows_plaids_script_only_there(client, user_id):
    page = client.get("/bank-sync/connect")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-link-token="link-sandbox-' in html
    assert "https://cdn.plaid.com/link/v2/stable/link-initialize.js" in html
    assert "needs JavaScript" in html  # the no-JS fallback
    assert "https://cdn.plaid.com" in page.headers["Content-Security-Policy"]
    other = client.get("/bank-sync/")
    assert "plaid.com" not in other.headers["Content-Security-Policy"]


def test_without_plaid_settings_the_pages_say_so(make_app, auth):
    app = make_app(PLAID_CLIENT_ID=None, PLAID_SECRET=None)
    client = app.test_client()
    with app.app_context():
        make_user("bob@example.com")
    client.post_form("/auth/login", {"email": "bob@example.com",
                                     "password": "correct horse battery staple 42"})
    assert "Bank sync is not set up" in client.get("/bank-sync/").get_data(as_text=True)
    assert "not set up on this server" in client.get("/bank-sync/connect").get_data(as_text=True)


def test_link_match_and_first_sync_through_the_pages(app, client, user_id, fake_plaid):
    _, accounts_url = _link(client, fake_plaid)
    page = client.get(accounts_url).get_data(as_text=True)
    assert "Plaid Checking" in page and "A new account" in page
    response = client.post_form(accounts_url, {}, page=accounts_url)
    assert response.status_code == 303
    run_page = client.get(response.headers["Location"])
    html = run_page.get_data(as_text=True)
    assert 'data-status="completed"' in html and "1 added" in html
    assert _count(app, Transaction) == 1
    index = client.get("/bank-sync/").get_data(as_text=True)
    assert "First Platypus Bank" in index and "Connected" in index
    # The run's block alone for HTMX.
    fragment = client.get(response.headers["Location"], headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="run-progress"')


def test_linking_the_same_login_twice_is_refused_with_a_message(app, client, user_id,
                                                                 fake_plaid):
    _, accounts_url = _link(client, fake_plaid)
    client.post_form(accounts_url, {}, page=accounts_url)
    again = fake_plaid.create_item()
    response = client.post_form("/bank-sync/connect",
                                {"public_token": fake_plaid.issue_public_token(again)},
                                page="/bank-sync/", follow_redirects=True)
    assert "already linked to your household" in response.get_data(as_text=True)
    assert _count(app, PlaidItem) == 1


def test_sync_now_and_unlink_keeping_history(app, client, user_id, fake_plaid):
    fake_item, accounts_url = _link(client, fake_plaid)
    client.post_form(accounts_url, {}, page=accounts_url)
    with app.app_context():
        item_id = db.session.scalar(select(PlaidItem.id))
    fake_plaid.add(fake_item, fake_plaid.transaction(fake_item.accounts[0]["account_id"],
                                                     "3.00", D, "Bakery"))
    response = client.post_form(f"/bank-sync/{item_id}/sync", page="/bank-sync/")
    assert response.status_code == 303
    assert "1 added" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count(app, Transaction) == 2

    assert "Keep them" in client.get(f"/bank-sync/{item_id}/unlink").get_data(as_text=True)
    response = client.post_form(f"/bank-sync/{item_id}/unlink", {"history": "keep"},
                                page="/bank-sync/")
    assert response.status_code == 303
    assert fake_item.removed
    assert (_count(app, PlaidItem), _count(app, Transaction)) == (0, 2)


def test_reauthentication_in_update_mode(app, client, user_id, fake_plaid):
    fake_item, accounts_url = _link(client, fake_plaid)
    client.post_form(accounts_url, {}, page=accounts_url)
    fake_plaid.set_item_error(fake_item, "ITEM_LOGIN_REQUIRED")
    with app.app_context():
        item_id = db.session.scalar(select(PlaidItem.id))
    client.post_form(f"/bank-sync/{item_id}/sync", page="/bank-sync/")
    index = client.get("/bank-sync/").get_data(as_text=True)
    assert "Needs re-authentication" in index and f"/bank-sync/{item_id}/reauth" in index

    page = client.get(f"/bank-sync/{item_id}/reauth")
    assert 'data-mode="update"' in page.get_data(as_text=True)
    assert "https://cdn.plaid.com" in page.headers["Content-Security-Policy"]
    fake_plaid.set_item_error(fake_item, None)  # the user signed in again in Link
    response = client.post_form(f"/bank-sync/{item_id}/reauth", {}, page="/bank-sync/")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(PlaidItem, item_id).status == ITEM_GOOD


def test_a_viewer_cannot_sync_or_unlink(app, client, user_id, fake_plaid):
    _, accounts_url = _link(client, fake_plaid)
    client.post_form(accounts_url, {}, page=accounts_url)
    with app.app_context():
        item_id = db.session.scalar(select(PlaidItem.id))
        viewer = make_user("viewer@example.com")
        membership = Membership(household_id=household_of(user_id), user_id=viewer.id,
                                role=VIEWER)
        db.session.add(membership)
        db.session.commit()
        viewer.current_household_id = membership.household_id
        db.session.commit()
    viewer_client = app.test_client()
    viewer_client.post_form("/auth/login", {"email": "viewer@example.com",
                                            "password": "correct horse battery staple 42"})
    csrf = viewer_client.csrf_token("/bank-sync/")
    assert viewer_client.post(f"/bank-sync/{item_id}/sync",
                              data={"csrf_token": csrf}).status_code == 403
    assert viewer_client.post(f"/bank-sync/{item_id}/unlink",
                              data={"csrf_token": csrf}).status_code == 403


def test_the_email_preference_is_saved(app, client, user_id):
    client.post_form("/bank-sync/email", {}, page="/bank-sync/")
    with app.app_context():
        from finance_app.models import User

        assert db.session.get(User, user_id).notify_bank_email is False


# ---------------------------------------------------------------- the webhook


@pytest.fixture()
def verifying_app(app, make_app):
    forget_cached_keys()
    yield make_app(PLAID_VERIFY_WEBHOOKS=True)
    forget_cached_keys()


def _linked_item(app, fake):
    from finance_app.services.bank_sync import items
    from tests.factories import scope_of

    with app.app_context():
        owner = make_user("hook@example.com")
        fake_item = fake.create_item()
        from finance_app.tasks.bank_sync import plaid_client

        with plaid_client() as client:
            item = items.link_item(db.session, scope_of(owner), client,
                                   fake.issue_public_token(fake_item),
                                   app.config["TOKEN_ENCRYPTION_KEY"])
        items.match_accounts(db.session, scope_of(owner), item, {})
        db.session.commit()
        return item.id, fake_item, owner.id


def _post_hook(client, body: bytes, token: str | None):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Plaid-Verification"] = token
    return client.post("/webhooks/plaid", data=body, headers=headers)


def test_a_webhook_with_a_wrong_signature_is_rejected(verifying_app, fake_plaid):
    _, fake_item, _ = _linked_item(verifying_app, fake_plaid)
    client = verifying_app.test_client()
    body = json.dumps({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE",
                       "item_id": fake_item.item_id}).encode()
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    assert _post_hook(client, body, fake_plaid.sign(body, key=stranger_key)).status_code == 401
    assert _post_hook(client, body, None).status_code == 401
    assert _post_hook(client, body, "not-a-jwt").status_code == 401
    assert _post_hook(client, body, fake_plaid.sign(body, kid="unknown")).status_code == 401
    # Signed for another body, or too old.
    assert _post_hook(client, body, fake_plaid.sign(b"{}")).status_code == 401
    assert _post_hook(client, body, fake_plaid.sign(
        body, iat=time.time() - 6 * 60)).status_code == 401
    assert _count(verifying_app, SyncRun) == 0


def test_a_signed_sync_webhook_is_accepted_and_syncs(verifying_app, fake_plaid):
    _, fake_item, _ = _linked_item(verifying_app, fake_plaid)
    fake_plaid.add(fake_item, fake_plaid.transaction(fake_item.accounts[0]["account_id"],
                                                     "9.00", D, "Cafe"))
    body = json.dumps({"webhook_type": "TRANSACTIONS", "webhook_code": "SYNC_UPDATES_AVAILABLE",
                       "item_id": fake_item.item_id, "initial_update_complete": True,
                       "historical_update_complete": True, "environment": "sandbox"}).encode()
    response = _post_hook(verifying_app.test_client(), body, fake_plaid.sign(body))
    assert response.status_code == 200
    with verifying_app.app_context():
        run = db.session.scalars(select(SyncRun)).one()
        assert (run.status, run.trigger, run.added_count) == (RUN_COMPLETED, "webhook", 1)
    # The key was fetched once, then served from the cache.
    second = json.dumps({"webhook_type": "TRANSACTIONS", "webhook_code": "DEFAULT_UPDATE",
                         "item_id": fake_item.item_id}).encode()
    assert _post_hook(verifying_app.test_client(), second,
                      fake_plaid.sign(second)).status_code == 200
    assert fake_plaid.calls.count("/webhook_verification_key/get") == 1


def test_item_error_and_login_repaired_webhooks_change_the_state(verifying_app, fake_plaid,
                                                                 mailbox):
    item_id, fake_item, _ = _linked_item(verifying_app, fake_plaid)
    client = verifying_app.test_client()
    body = json.dumps({"webhook_type": "ITEM", "webhook_code": "ERROR",
                       "item_id": fake_item.item_id,
                       "error": {"error_type": "ITEM_ERROR", "error_code": "ITEM_LOGIN_REQUIRED",
                                 "error_message": "the login details have changed",
                                 "display_message": None}}).encode()
    assert _post_hook(client, body, fake_plaid.sign(body)).status_code == 200
    with verifying_app.app_context():
        assert db.session.get(PlaidItem, item_id).status == ITEM_NEEDS_REAUTH
    assert [m["Subject"] for m in mailbox.to("hook@example.com")] == [
        "A bank connection needs your attention"]
    repaired = json.dumps({"webhook_type": "ITEM", "webhook_code": "LOGIN_REPAIRED",
                           "item_id": fake_item.item_id}).encode()
    assert _post_hook(client, repaired, fake_plaid.sign(repaired)).status_code == 200
    with verifying_app.app_context():
        assert db.session.get(PlaidItem, item_id).status == ITEM_GOOD


def test_webhooks_are_verified_by_default_outside_development(make_app, fake_plaid):
    app = make_app(TESTING=False, PLAID_VERIFY_WEBHOOKS=None)
    body = json.dumps({"webhook_type": "TRANSACTIONS", "webhook_code": "DEFAULT_UPDATE",
                       "item_id": "nope"}).encode()
    assert _post_hook(app.test_client(), body, None).status_code == 401


def test_pending_disconnect_warns_the_members_and_unknown_items_are_ignored(verifying_app,
                                                                           fake_plaid):
    from finance_app.models import Notification
    from finance_app.models.bank_sync import ITEM_PENDING_DISCONNECT

    item_id, fake_item, owner_id = _linked_item(verifying_app, fake_plaid)
    client = verifying_app.test_client()
    body = json.dumps({"webhook_type": "ITEM", "webhook_code": "PENDING_DISCONNECT",
                       "item_id": fake_item.item_id, "reason": "INSTITUTION_MIGRATION"}).encode()
    assert _post_hook(client, body, fake_plaid.sign(body)).status_code == 200
    with verifying_app.app_context():
        assert db.session.get(PlaidItem, item_id).status == ITEM_PENDING_DISCONNECT
        titles = db.session.scalars(select(Notification.title).where(
            Notification.user_id == owner_id)).all()
        assert titles == ["First Platypus Bank will disconnect soon"]
    unknown = json.dumps({"webhook_type": "TRANSACTIONS", "webhook_code": "DEFAULT_UPDATE",
                          "item_id": "item-nobody"}).encode()
    response = _post_hook(client, unknown, fake_plaid.sign(unknown))
    assert (response.status_code, response.get_json()["handled"]) == (200, False)
    assert _count(verifying_app, SyncRun) == 0
