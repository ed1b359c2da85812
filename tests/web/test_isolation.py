"""Every id-bearing route, requested by another signed-in user, answers 404 and changes nothing.

The sweep walks the URL map, so a route added later is covered as soon as its id argument is
named in ID_ARGUMENTS (an unknown argument name fails the test, on purpose).
"""

from __future__ import annotations

import shutil
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.db import Base
from finance_app.extensions import db
from finance_app.models import (
    Account,
    Attachment,
    Budget,
    Category,
    ExchangeRate,
    ImportBatch,
    Job,
    MerchantMemory,
    Notification,
    PendingDuplicate,
    Rule,
    SavedView,
    Transaction,
    UserSession,
)
from finance_app.services.demo import seed_demo

ID_ARGUMENTS = {
    "account_id": Account,
    "attachment_id": Attachment,
    "batch_id": ImportBatch,
    "budget_id": Budget,
    "category_id": Category,
    "job_id": Job,
    "memory_id": MerchantMemory,
    "notification_id": Notification,
    "pending_id": PendingDuplicate,
    "rate_id": ExchangeRate,
    "rule_id": Rule,
    "session_id": UserSession,
    "txn_id": Transaction,
    "view_id": SavedView,
}
OTHER_ARGUMENTS = {"direction": "up"}
PUBLIC_PREFIXES = ("auth.", "static")


@pytest.fixture()
def app_config(app_config, trained_model_dir, tmp_path):
    model_dir = tmp_path / "models"
    shutil.copytree(trained_model_dir, model_dir)
    return {**app_config, "MODEL_DIR": str(model_dir)}


def give_owner_one_of_everything(owner_id: int) -> None:
    """The demo covers most features; add what it does not create."""
    account = db.session.scalars(select(Account).where(Account.user_id == owner_id)).first()
    txn = db.session.scalars(select(Transaction).where(Transaction.user_id == owner_id)).first()
    batch = ImportBatch(user_id=owner_id, account_id=account.id, filename="x.csv",
                        status="completed")
    db.session.add(batch)
    db.session.flush()
    category = db.session.scalars(select(Category).where(
        Category.user_id == owner_id, Category.parent_id.is_not(None))).first()
    db.session.add_all([
        Attachment(user_id=owner_id, transaction_id=txn.id, filename="r.png",
                   content_type="image/png", size=8, storage_key=f"{uuid.uuid4().hex}.png"),
        PendingDuplicate(user_id=owner_id, batch_id=batch.id, account_id=account.id,
                         row_number=2, date=date(2025, 1, 2), amount=Decimal("-5.00"),
                         description="DUP", fingerprint="f" * 64),
        Job(id=str(uuid.uuid4()), user_id=owner_id, name="x", function="x.y"),
        Notification(user_id=owner_id, kind="test", title="Hello"),
        MerchantMemory(user_id=owner_id, merchant_key="acme", merchant_name="Acme",
                       category_id=category.id, count=2),
        ExchangeRate(user_id=owner_id, date=date(2025, 1, 1), base="EUR", quote="USD",
                     rate=Decimal("1.08")),
        SavedView(user_id=owner_id, name=f"View {uuid.uuid4().hex[:6]}", query="q=x"),
        UserSession(user_id=owner_id, token_hash=uuid.uuid4().hex * 2),
    ])
    db.session.commit()


def owned_id(model, owner_id: int, **where):
    query = select(model.id).where(model.user_id == owner_id)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    found = db.session.scalars(query.order_by(model.id)).first()
    assert found is not None, f"the owner has no {model.__name__}"
    return found


def owner_row_counts(owner_id: int) -> dict[str, int]:
    counts = {}
    for table in Base.metadata.sorted_tables:
        if "user_id" in table.columns:
            counts[table.name] = db.session.scalar(
                select(func.count()).select_from(table).where(table.c.user_id == owner_id))
    return counts


def test_every_id_route_is_not_found_for_another_user(app, auth, client):
    with app.app_context():
        seed_demo(db.session, "owner@example.com")
        db.session.commit()
        owner_id = db.session.scalar(select(func.min(Account.user_id)))
        give_owner_one_of_everything(owner_id)
        pending = db.session.scalars(select(PendingDuplicate).where(
            PendingDuplicate.user_id == owner_id)).first()
        values = {name: owned_id(model, owner_id) for name, model in ID_ARGUMENTS.items()}
        values["pending_id"], values["batch_id"] = pending.id, pending.batch_id
        before = owner_row_counts(owner_id)

    auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    token = client.csrf_token("/settings/profile")

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
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, data={"csrf_token": token},
                                   headers={"X-CSRFToken": token})
            checked += 1
            if response.status_code != 404:
                failures.append(f"{method} {path} -> {response.status_code}")
    assert failures == []
    assert checked >= 40

    with app.app_context():
        assert owner_row_counts(owner_id) == before
