"""Demo seeding for the categorizer: base model, what the demo user's history teaches, a rule and
a few fresh imports for the review queue. Idempotent."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.categorization import Rule
from finance_app.models.ledger import SOURCE_IMPORT, Account, Transaction
from finance_app.models.user import User
from finance_app.services.categorization.engine import categorize
from finance_app.services.categorization.labels import record_labels
from finance_app.services.categorization.learning import ensure_base_model, retrain_user
from finance_app.services.categorization.rules import RuleInput, create_rule
from finance_app.services.categorization.settings import current_settings
from finance_app.services.households.membership import member_scope
from finance_app.services.scope import Scope, scoped

CHUNK = 2000
# Fresh "imported" rows: some the engine knows, some it must ask about.
FRESH_IMPORTS = (
    ("SQ *BLUE BOTTLE COFFEE", "-6.50"),
    ("AMZN Mktp US*7Q2LK90", "-23.99"),
    ("POS DEBIT KWIK MART 4471", "-18.20"),
    ("ZELLE PAYMENT TO J SMITH", "-60.00"),
    ("CHECKCARD 0412 PETCO 1234", "-42.10"),
    ("ACH CREDIT VENMO CASHOUT", "125.00"),
    ("LOCAL FARMERS COOP", "-31.40"),
    ("DOJO BOULDERING GYM", "-89.00"),
)


def seed_demo_categorizer(session: DbSession, user: User) -> str:
    settings = current_settings()
    started = time.perf_counter()
    _, trained = ensure_base_model(settings)
    base_seconds = time.perf_counter() - started
    scope = member_scope(session, user)
    labelled = _learn_from_history(session, scope)
    result = retrain_user(session, scope, settings)
    if not session.scalar(scoped(Rule, scope).limit(1)):
        _demo_rule(session, scope)
    fresh = _fresh_imports(session, scope)
    summary = f"categorizer: {labelled:,} labels learned, user model {result.status}"
    if trained:
        summary += f", base model trained in {base_seconds:.0f}s"
    if fresh:
        summary += f", {fresh} new imports categorized"
    return summary


def _learn_from_history(session: DbSession, scope: Scope) -> int:
    """The demo ledger's categories were chosen by its person: record them as labels."""
    query = (
        scoped(Transaction, scope)
        .where(Transaction.category_id.is_not(None), Transaction.category_source == "user")
        .order_by(Transaction.date, Transaction.id)
    )
    ids = list(session.scalars(query.with_only_columns(Transaction.id)))
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = list(session.scalars(
            scoped(Transaction, scope).where(Transaction.id.in_(ids[start : start + CHUNK]))
            .order_by(Transaction.date, Transaction.id)
        ))
        changed += record_labels(session, scope, chunk)
        session.flush()
    return changed


def _demo_rule(session: DbSession, scope: Scope) -> None:
    from finance_app.models.ledger import Category

    category = session.scalar(scoped(Category, scope).where(Category.name == "Subscriptions"))
    create_rule(session, scope, RuleInput(
        name="Streaming services",
        match="any",
        conditions=[{"field": "description", "op": "contains", "value": "NETFLIX"},
                    {"field": "description", "op": "contains", "value": "SPOTIFY"}],
        category_id=category.id if category else None,
        tags=["streaming"],
    ))


def _fresh_imports(session: DbSession, scope: Scope) -> int:
    account = session.scalar(
        scoped(Account, scope).where(Account.type.in_(("checking", "credit_card")))
        .order_by(Account.id).limit(1)
    )
    if account is None:
        return 0
    taken = set(session.scalars(select(Transaction.fingerprint).where(
        Transaction.account_id == account.id, Transaction.fingerprint.like("demo-review-%"))))
    today = utcnow().date()
    txns = []
    for number, (raw, amount) in enumerate(FRESH_IMPORTS):
        fingerprint = f"demo-review-{number}"
        if fingerprint in taken:
            continue
        txns.append(Transaction(
            household_id=scope.household_id, created_by_id=scope.member_id,
            account_id=account.id, date=today - timedelta(days=number),
            amount=Decimal(amount), raw_description=raw, source=SOURCE_IMPORT,
            fingerprint=fingerprint, locked_fields=[],
        ))
    if txns:
        session.add_all(txns)
        session.flush()
        categorize(session, scope, txns)
    return len(txns)
