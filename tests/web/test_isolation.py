"""Every id-bearing route, requested by a signed-in user of another household, answers 404 (the
site-admin pages: 403) and changes nothing; nor can a member reach another member's private
account.

The sweep walks the URL map, so a route added later is covered as soon as its id argument is
named in ID_ARGUMENTS (an unknown argument name fails the test, on purpose).
"""

from __future__ import annotations

import shutil
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from finance_app.db import Base, utcnow
from finance_app.extensions import db
from finance_app.models import (
    Account,
    Attachment,
    Budget,
    Category,
    Debt,
    ExchangeRate,
    Goal,
    GoalContribution,
    ImportBatch,
    Insight,
    Invitation,
    Job,
    Membership,
    MerchantMemory,
    Notification,
    PendingDuplicate,
    PlaidItem,
    ReportFile,
    Rule,
    SavedView,
    Security,
    SyncRun,
    Trade,
    Transaction,
    User,
    UserSession,
)
from finance_app.models.household import EDITOR
from finance_app.models.recurring import (
    AnomalyFlag,
    RecurringSeries,
    WebhookDelivery,
    WebhookEndpoint,
)
from finance_app.services.demo.seed import seed_demo
from tests.factories import household_of
from tests.route_sweep import sweep_foreign_ids

ID_ARGUMENTS = {
    "account_id": Account,
    "attachment_id": Attachment,
    "batch_id": ImportBatch,
    "budget_id": Budget,
    "category_id": Category,
    "debt_id": Debt,
    "goal_id": Goal,
    "contribution_id": GoalContribution,
    "insight_id": Insight,
    "invitation_id": Invitation,
    "item_id": PlaidItem,
    "job_id": Job,
    "memory_id": MerchantMemory,
    "notification_id": Notification,
    "pending_id": PendingDuplicate,
    "rate_id": ExchangeRate,
    "report_id": ReportFile,
    "rule_id": Rule,
    "run_id": SyncRun,
    "security_id": Security,
    "session_id": UserSession,
    "trade_id": Trade,
    "txn_id": Transaction,
    "user_id": User,  # a member of the owner's household (the owner), or a user to administer
    "view_id": SavedView,
    "series_id": RecurringSeries,
    "flag_id": AnomalyFlag,
    "endpoint_id": WebhookEndpoint,
    "delivery_id": WebhookDelivery,
}
OTHER_ARGUMENTS = {"direction": "up"}
# Valid form values, so a route that checks its form before the id still reaches the lookup.
FORM_DATA = {"role": EDITOR}
# The join link's token is itself the secret (like the auth links), so it is no id to sweep.
# So is the weekly email's unsubscribe token (tests/web/test_weekly_email.py).
# So is the bills calendar feed's token (tests/web/test_bills.py).
PUBLIC_PREFIXES = ("auth.", "static", "invitations.", "weekly_email.", "bills_feed.")
# Site administration is for site admins only: anyone else is refused (403) before any id is
# looked at; the sweep checks that, and that nothing changed.
ADMIN_PREFIX = "admin."


@pytest.fixture()
def app_config(app_config, trained_model_dir, tmp_path):
    model_dir = tmp_path / "models"
    shutil.copytree(trained_model_dir, model_dir)
    return {**app_config, "MODEL_DIR": str(model_dir)}


def give_owner_one_of_everything(owner_id: int) -> None:
    """The demo covers most features; add what it does not create."""
    household_id = household_of(owner_id)
    account = db.session.scalars(select(Account).where(
        Account.household_id == household_id)).first()
    txn = db.session.scalars(select(Transaction).where(
        Transaction.household_id == household_id)).first()
    batch = ImportBatch(household_id=household_id, created_by_id=owner_id,
                        account_id=account.id, filename="x.csv", status="completed")
    db.session.add(batch)
    plaid_item = PlaidItem(household_id=household_id, created_by_id=owner_id,
                           item_id=f"item-{uuid.uuid4().hex}", access_token_encrypted="sealed")
    db.session.add(plaid_item)
    db.session.flush()
    endpoint = WebhookEndpoint(user_id=owner_id, household_id=household_id,
                               url="https://hooks.example.com/x", events=["anomaly"],
                               secret_encrypted="sealed")
    db.session.add(endpoint)
    db.session.flush()
    db.session.add(WebhookDelivery(household_id=household_id, endpoint_id=endpoint.id,
                                   event="anomaly", payload={}, status="delivered",
                                   attempts=1, last_error=""))
    db.session.add(SyncRun(household_id=household_id, item_id=plaid_item.id, status="completed"))
    category = db.session.scalars(select(Category).where(
        Category.household_id == household_id, Category.parent_id.is_not(None))).first()
    db.session.add_all([
        Attachment(household_id=household_id, transaction_id=txn.id, filename="r.png",
                   content_type="image/png", size=8, storage_key=f"{uuid.uuid4().hex}.png"),
        PendingDuplicate(household_id=household_id, batch_id=batch.id, account_id=account.id,
                         row_number=2, date=date(2025, 1, 2), amount=Decimal("-5.00"),
                         description="DUP", fingerprint="f" * 64),
        Job(id=str(uuid.uuid4()), user_id=owner_id, household_id=household_id, name="x",
            function="x.y"),
        Notification(user_id=owner_id, kind="test", title="Hello"),
        MerchantMemory(household_id=household_id, merchant_key="acme", merchant_name="Acme",
                       category_id=category.id, count=2),
        ExchangeRate(household_id=household_id, date=date(2025, 1, 1), base="EUR", quote="USD",
                     rate=Decimal("1.08")),
        SavedView(household_id=household_id, name=f"View {uuid.uuid4().hex[:6]}", query="q=x"),
        Debt(household_id=household_id, name="Owner's card", kind="credit_card",
             balance=Decimal("1200.00"), apr=Decimal("19.99"), minimum_payment=Decimal("35")),
        UserSession(user_id=owner_id, token_hash=uuid.uuid4().hex * 2),
        ReportFile(household_id=household_id, created_by_id=owner_id, format="pdf",
                   kind="all", title="Everything", period_start=date(2025, 1, 1),
                   period_end=date(2025, 1, 31), params={}, status="ready",
                   storage_key=f"{uuid.uuid4().hex}.pdf", size=10),
        AnomalyFlag(household_id=household_id, transaction_id=txn.id, kind="fee",
                    key=f"fee:isolation-{uuid.uuid4().hex[:8]}", pattern="fee:x",
                    reason="A fee.", day=txn.date),
        Insight(household_id=household_id, key=f"fees:{uuid.uuid4().hex[:8]}", kind="fees",
                title="Fees", amount=Decimal("30.00")),
        Invitation(household_id=household_id, email="invited@example.com", role=EDITOR,
                   token_hash=uuid.uuid4().hex * 2, invited_by_id=owner_id,
                   expires_at=utcnow() + timedelta(days=7)),
    ])
    db.session.commit()


def owned_id(model, owner_id: int, **where):
    """The first row of `model` the owner has: by household for household data, by user for a
    person's own rows (sessions, notifications), the owner themself for users."""
    if model is User:
        return owner_id
    if "household_id" in model.__table__.columns:
        query = select(model.id).where(model.household_id == household_of(owner_id))
    else:
        query = select(model.id).where(model.user_id == owner_id)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    found = db.session.scalars(query.order_by(model.id)).first()
    assert found is not None, f"the owner has no {model.__name__}"
    return found


def owner_row_counts(owner_id: int) -> dict[str, int]:
    """Rows of the owner's household (by household) and of the owner (by user), per table."""
    household_id = household_of(owner_id)
    counts = {}
    for table in Base.metadata.sorted_tables:
        if "household_id" in table.columns:
            counts[f"{table.name} (household)"] = db.session.scalar(
                select(func.count()).select_from(table)
                .where(table.c.household_id == household_id))
        if "user_id" in table.columns:
            counts[f"{table.name} (user)"] = db.session.scalar(
                select(func.count()).select_from(table).where(table.c.user_id == owner_id))
    return counts


def owner_state(owner_id: int) -> dict[str, object]:
    """What a count does not show: the owner's role, standing and open invitations."""
    owner = db.session.get(User, owner_id)
    household_id = household_of(owner_id)
    return {
        "disabled_at": owner.disabled_at,
        "role": db.session.scalar(select(Membership.role).where(
            Membership.household_id == household_id, Membership.user_id == owner_id)),
        "open_invitations": db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.household_id == household_id, Invitation.revoked_at.is_(None))),
    }


def test_every_id_route_is_not_found_for_another_user(app, auth, client):
    with app.app_context():
        seed_demo(db.session, "owner@example.com")
        db.session.commit()
        owner_id = db.session.scalar(select(User.id).where(User.email == "owner@example.com"))
        give_owner_one_of_everything(owner_id)
        pending = db.session.scalars(select(PendingDuplicate).where(
            PendingDuplicate.household_id == household_of(owner_id))).first()
        values = {name: owned_id(model, owner_id) for name, model in ID_ARGUMENTS.items()}
        values["pending_id"], values["batch_id"] = pending.id, pending.batch_id
        before = owner_row_counts(owner_id)
        state_before = owner_state(owner_id)

    intruder_id = auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    token = client.csrf_token("/settings/profile")
    with app.app_context():
        # The intruder owns a household of their own, which is not the owner's.
        assert household_of(intruder_id) != household_of(owner_id)

    checked, failures = 0, []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        unknown = rule.arguments - set(values) - set(OTHER_ARGUMENTS)
        assert not unknown, f"{rule.rule}: add {unknown} to ID_ARGUMENTS"
        with app.test_request_context():
            from flask import url_for

            path = url_for(rule.endpoint, **{a: values.get(a, OTHER_ARGUMENTS.get(a))
                                             for a in rule.arguments})
        expected = 403 if rule.endpoint.startswith(ADMIN_PREFIX) else 404
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={**FORM_DATA, "csrf_token": token},
                                   headers={"X-CSRFToken": token})
            checked += 1
            if response.status_code != expected:
                failures.append(f"{method} {path} -> {response.status_code}")
    assert failures == []
    assert checked >= 40

    with app.app_context():
        assert owner_row_counts(owner_id) == before
        assert owner_state(owner_id) == state_before


PRIVATE_ARGUMENTS = {"account_id", "txn_id", "attachment_id"}


def test_another_members_private_account_routes_are_not_found_for_a_member(app, auth, client):
    """In a shared household, the partner's private account, its transactions and receipts do
    not exist for the owner: every route on them answers 404 and changes nothing."""
    from finance_app.services.demo.partner import PARTNER_EMAIL, PRIVATE_ACCOUNT
    from finance_app.services.demo.seed import DEMO_PASSWORD

    with app.app_context():
        seed_demo(db.session, "owner@example.com")
        db.session.commit()
        owner_id = db.session.scalar(select(User.id).where(User.email == "owner@example.com"))
        partner_id = db.session.scalar(select(User.id).where(User.email == PARTNER_EMAIL))
        household_id = household_of(owner_id)
        assert household_of(partner_id) == household_id
        private = db.session.scalar(select(Account).where(
            Account.household_id == household_id, Account.name == PRIVATE_ACCOUNT))
        assert private.is_private and private.owner_id == partner_id
        txn = db.session.scalars(select(Transaction).where(
            Transaction.account_id == private.id).order_by(Transaction.id)).first()
        db.session.add(Attachment(household_id=household_id, transaction_id=txn.id,
                                  filename="r.png", content_type="image/png", size=8,
                                  storage_key=f"{uuid.uuid4().hex}.png"))
        db.session.commit()
        values = {"account_id": private.id, "txn_id": txn.id,
                  "attachment_id": db.session.scalar(select(Attachment.id).where(
                      Attachment.transaction_id == txn.id))}
        private_id, txn_id, merchant = private.id, txn.id, txn.merchant

        def private_rows():
            return (db.session.scalar(select(func.count()).select_from(Transaction).where(
                        Transaction.account_id == private_id)),
                    db.session.scalar(select(func.count()).select_from(Attachment).where(
                        Attachment.transaction_id == txn_id)))

        before = private_rows()

    assert auth.login("owner@example.com", password=DEMO_PASSWORD).status_code == 303
    token = client.csrf_token("/settings/profile")
    accounts_page = client.get("/accounts/")
    assert accounts_page.status_code == 200
    listed = accounts_page.get_data(as_text=True)
    assert "Checking" in listed or "checking" in listed
    assert PRIVATE_ACCOUNT not in listed and str(escape(PRIVATE_ACCOUNT)) not in listed

    checked, failures = sweep_foreign_ids(app, client, values, PRIVATE_ARGUMENTS, token)
    assert failures == []
    assert checked >= 15

    with app.app_context():
        assert private_rows() == before
        account = db.session.get(Account, private_id)
        assert account is not None and account.is_private and not account.is_archived
        assert db.session.get(Transaction, txn_id).merchant == merchant


def test_ask_reads_no_other_household_and_no_private_account(app, auth, client):
    """The Ask box has no id in its URL: what it must not reach is another household's names
    and figures, or a partner's private account. The partner's own question proves the rows
    are there to be found."""
    from datetime import date as day

    from finance_app.services.demo.partner import PARTNER_EMAIL, PRIVATE_ACCOUNT
    from finance_app.services.demo.seed import DEMO_PASSWORD

    with app.app_context():
        seed_demo(db.session, "owner@example.com")
        household_id = household_of(db.session.scalar(
            select(User.id).where(User.email == "owner@example.com")))
        private = db.session.scalar(select(Account).where(
            Account.household_id == household_id, Account.name == PRIVATE_ACCOUNT))
        db.session.add(Transaction(
            household_id=household_id, account_id=private.id, created_by_id=private.owner_id,
            date=day(2001, 5, 5), amount=Decimal("-777.77"), raw_description="SECRET JEWELLER",
            merchant="Secret Jeweller", locked_fields=[]))
        db.session.commit()
    question = {"q": "how much did I spend at secret jeweller in 2001"}
    in_2001 = {"q": "how much did I spend in 2001"}

    assert auth.login(PARTNER_EMAIL, password=DEMO_PASSWORD).status_code == 303
    assert "$777.77" in client.get("/ask/", query_string=question).get_data(as_text=True)
    auth.logout()

    assert auth.login("owner@example.com", password=DEMO_PASSWORD).status_code == 303
    html = client.get("/ask/", query_string=question).get_data(as_text=True)
    assert "$777.77" not in html and "ask-value" not in html  # the name is not theirs to read
    html = client.get("/ask/", query_string=in_2001).get_data(as_text=True)
    assert "$0.00" in html and "$777.77" not in html
    auth.logout()

    auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    html = client.get("/ask/", query_string={"q": "biggest purchases"}).get_data(as_text=True)
    assert "Nothing found" in html and "ask-lines" not in html
    html = client.get("/ask/", query_string=question).get_data(as_text=True)
    assert "$777.77" not in html and "ask-value" not in html
