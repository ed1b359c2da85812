"""Households over HTTP: invite by email and join, roles (a viewer's writes are 403), switching,
leaving, the owner's activity log, and a partner's private account that stays invisible."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.household import EDITOR, OWNER, VIEWER, Membership
from finance_app.models.ledger import Account
from finance_app.models.user import User
from finance_app.web.blueprints import VIEWER_MESSAGE
from tests.factories import household_of, make_account, make_txn, make_user, scope_of
from tests.route_sweep import sweep_foreign_ids


def _invite(client, email: str, role: str = EDITOR):
    return client.post_form("/household/invite", {"email": email, "role": role},
                            page="/household/")


def _join_by_mail(app, auth, client, mailbox, owner_email: str, guest_email: str,
                  role: str = EDITOR) -> None:
    """The owner (signed in on `client`) invites; the guest accepts on the same client."""
    assert _invite(client, guest_email, role).status_code == 303
    link = mailbox.last_link(guest_email, "/join/")
    path = link.split("localhost", 1)[1]
    auth.logout()
    with app.app_context():
        if db.session.scalar(select(User).where(User.email == guest_email)) is None:
            make_user(guest_email, name=guest_email.split("@")[0].title())
    auth.login(guest_email)
    page = client.get(path)
    assert page.status_code == 200 and "Join" in page.get_data(as_text=True)
    response = client.post_form(path, {}, page=path)
    assert response.status_code == 303


def test_invite_accept_and_share_the_ledger_but_not_the_private_account(
        app, auth, client, mailbox, user_id):
    with app.app_context():
        owner = db.session.get(User, user_id)
        joint = make_account(owner, "Joint checking")
        make_txn(joint, "-42.00", merchant="Grocer")
        private = make_account(owner, "Alice's secret savings", is_private=True)
        make_txn(private, "-13.00", merchant="Surprise")
        db.session.commit()
        joint_id, private_id = joint.id, private.id
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    assert "Joint checking" in client.get("/accounts/").get_data(as_text=True)
    accounts_page = client.get("/accounts/").get_data(as_text=True)
    assert "secret savings" not in accounts_page
    assert client.get(f"/accounts/{private_id}").status_code == 404
    assert client.get(f"/accounts/{joint_id}").status_code == 200
    listing = client.get("/transactions/").get_data(as_text=True)
    assert "Grocer" in listing and "Surprise" not in listing
    export = client.get("/settings/data/transactions.csv").get_data(as_text=True)
    assert "Grocer" in export and "Surprise" not in export
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        assert household_of(bob) == household_of(user_id)


def test_the_same_link_works_once_and_a_bad_one_explains_itself(
        app, auth, client, mailbox, user_id):
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    link = mailbox.last_link("bob@example.com", "/join/").split("localhost", 1)[1]
    again = client.get(link)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    broken = client.get("/join/not-a-real-token")
    assert broken.status_code == 410 and "not valid" in broken.get_data(as_text=True)


def test_inviting_a_member_again_is_refused_and_changes_nothing(app, auth, client, mailbox,
                                                                user_id):
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    auth.logout()
    auth.login("alice@example.com")
    mailbox.clear()
    response = _invite(client, "bob@example.com")
    assert response.status_code == 400
    assert "already a member" in response.get_data(as_text=True)
    assert mailbox.to("bob@example.com") == []


def test_a_viewer_reads_everything_and_every_write_is_a_clear_403(
        app, auth, client, mailbox, user_id):
    with app.app_context():
        owner = db.session.get(User, user_id)
        account = make_account(owner, "Joint")
        txn = make_txn(account, "-5.00")
        db.session.commit()
        txn_id, account_id = txn.id, account.id
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "val@example.com", VIEWER)
    assert client.get("/transactions/").status_code == 200
    assert client.get(f"/accounts/{account_id}").status_code == 200
    page = client.get("/transactions/").get_data(as_text=True)
    assert "Add transaction" not in page and 'id="bulk-form"' not in page  # no write controls
    assert 'href="/import/"' not in page
    token = client.csrf_token("/settings/profile")
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        blueprint = rule.endpoint.split(".")[0]
        if "POST" not in rule.methods or blueprint not in {
                "transactions", "accounts", "budgets", "categories", "rules", "review",
                "upload", "dashboard"}:
            continue
        values = {arg: (txn_id if arg == "txn_id" else account_id) for arg in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            path = url_for(rule.endpoint, **values)
        response = client.post(path, data={"csrf_token": token},
                               headers={"X-CSRFToken": token})
        assert response.status_code == 403, f"POST {path} -> {response.status_code} ({view})"
        checked += 1
    assert checked >= 30
    response = client.post_form(f"/transactions/{txn_id}/delete", {}, page="/transactions/")
    assert VIEWER_MESSAGE in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        from finance_app.models.ledger import Transaction

        assert db.session.get(Transaction, txn_id) is not None


def test_roles_removal_and_the_last_owner_over_http(app, auth, client, mailbox, user_id):
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    auth.logout()
    auth.login("alice@example.com")
    with app.app_context():
        bob_id = db.session.scalar(select(User.id).where(User.email == "bob@example.com"))
    response = client.post_form(f"/household/members/{user_id}/role", {"role": EDITOR},
                                page="/household/")
    assert response.status_code == 303
    page = client.get("/household/").get_data(as_text=True)
    assert "needs an owner" in page
    client.post_form(f"/household/members/{bob_id}/role", {"role": VIEWER}, page="/household/")
    with app.app_context():
        roles = dict(db.session.execute(select(Membership.user_id, Membership.role).where(
            Membership.household_id == household_of(user_id))).all())
        assert roles == {user_id: OWNER, bob_id: VIEWER}
    activity = client.get("/household/").get_data(as_text=True)
    assert "A member&#39;s role changed" in activity or "A member's role changed" in activity
    assert "A member joined" in activity
    client.post_form(f"/household/members/{bob_id}/remove", {}, page="/household/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.household_id == household_of(user_id))) == 1


def test_switching_households_from_the_navigation(app, auth, client, mailbox, user_id):
    with app.app_context():
        make_account(user_id, "Alice only")
        db.session.commit()
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        own = db.session.scalar(select(Membership.household_id).where(
            Membership.user_id == bob.id, Membership.household_id != household_of(user_id)))
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Switch to Bob&#39;s household" in page or "Switch to Bob's household" in page
    assert "Alice only" in client.get("/accounts/").get_data(as_text=True)
    response = client.post_form("/household/switch", {"household_id": own, "next": "/accounts/"},
                                page="/dashboard/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/accounts/")
    assert "Alice only" not in client.get("/accounts/").get_data(as_text=True)
    # Switching to a household one is not a member of is a 404, and changes nothing.
    response = client.post_form("/household/switch", {"household_id": 999999},
                                page="/dashboard/")
    assert response.status_code == 404


def test_leave_and_delete(app, auth, client, mailbox, user_id):
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    response = client.post_form("/household/leave", {}, page="/household/")
    assert response.status_code == 303
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        assert household_of(bob) != household_of(user_id)
    auth.logout()
    auth.login("alice@example.com")
    page = client.post_form("/household/delete", {"confirmation": "wrong"},
                            page="/household/delete")
    assert "exactly" in page.get_data(as_text=True)
    with app.app_context():
        home = household_of(user_id)
        make_account(user_id, "Doomed")
        db.session.commit()
    response = client.post_form("/household/delete", {"confirmation": "Alice's household"},
                                page="/household/delete")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Account).where(
            Account.household_id == home)) == 0
        assert household_of(user_id) != home


@pytest.mark.parametrize("path", ["/household/", "/household/delete"])
def test_household_pages_render_for_an_editor(app, auth, client, mailbox, user_id, path):
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Send invitation" not in body  # owners only
    if path.endswith("delete"):
        assert "Only an owner" in body


def test_mine_partners_and_everyones_on_transactions_and_dashboard(
        app, auth, client, mailbox, user_id):
    with app.app_context():
        owner = db.session.get(User, user_id)
        mine = make_account(owner, "Alice card")
        make_txn(mine, "-11.00", merchant="Alice lunch", on=date.today())
        db.session.commit()
    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        theirs = make_account(scope_of(bob), "Bob card")
        make_txn(theirs, "-22.00", merchant="Bob lunch", on=date.today())
        db.session.commit()
        alice_param = str(user_id)
    everyone = client.get("/transactions/").get_data(as_text=True)
    assert "Alice lunch" in everyone and "Bob lunch" in everyone
    only_mine = client.get("/transactions/?member=me").get_data(as_text=True)
    assert "Bob lunch" in only_mine and "Alice lunch" not in only_mine
    partners = client.get(f"/transactions/?member={alice_param}").get_data(as_text=True)
    assert "Alice lunch" in partners and "Bob lunch" not in partners
    assert "Alice&#39;s" in partners or "Alice's" in partners  # the "whose" choices
    board = client.get("/dashboard/?range=this_month&member=me").get_data(as_text=True)
    assert "$22.00" in board and "$11.00" not in board
    board = client.get("/dashboard/?range=this_month").get_data(as_text=True)
    assert "$33.00" in board


PRIVATE_ARGUMENTS = ("account_id", "txn_id", "attachment_id", "batch_id", "pending_id")


def test_every_route_hides_a_partners_private_account(app, auth, client, mailbox, user_id):
    """Alice, a member, asks for every route naming Bob's private account, its transactions,
    receipts or imports: each answers 404 (GET and POST) and nothing changes."""
    import uuid
    from decimal import Decimal

    from finance_app.models.imports import PendingDuplicate
    from finance_app.models.ledger import Attachment, ImportBatch, Transaction

    _join_by_mail(app, auth, client, mailbox, "alice@example.com", "bob@example.com")
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        bob_view = scope_of(bob)
        private = make_account(bob_view, "Bob's private", is_private=True)
        txn = make_txn(private, "-64.00", merchant="Private thing")
        batch = ImportBatch(household_id=bob_view.household_id, created_by_id=bob.id,
                            account_id=private.id, filename="b.csv", status="completed")
        db.session.add(batch)
        db.session.flush()
        attachment = Attachment(household_id=bob_view.household_id, transaction_id=txn.id,
                                filename="r.png", content_type="image/png", size=8,
                                storage_key=f"{uuid.uuid4().hex}.png")
        pending = PendingDuplicate(household_id=bob_view.household_id, batch_id=batch.id,
                                   account_id=private.id, row_number=2, date=date(2025, 1, 2),
                                   amount=Decimal("-5.00"), description="DUP",
                                   fingerprint="f" * 64)
        db.session.add_all([attachment, pending])
        db.session.commit()
        values = {"account_id": private.id, "txn_id": txn.id, "attachment_id": attachment.id,
                  "batch_id": batch.id, "pending_id": pending.id}
        rows_before = db.session.scalar(select(func.count()).select_from(Transaction))
    auth.logout()
    auth.login("alice@example.com")
    token = client.csrf_token("/settings/profile")
    checked, failures = sweep_foreign_ids(app, client, values, PRIVATE_ARGUMENTS, token)
    assert failures == []
    assert checked >= 25
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Transaction)) == rows_before
        assert db.session.get(Account, values["account_id"]).name == "Bob's private"
