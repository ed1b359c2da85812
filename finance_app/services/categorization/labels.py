"""Labels: a category the user set is recorded once per transaction and feeds merchant memory.

`record_labels` is called by `categorize()` for every transaction whose category the user set
(edits, bulk re-categorize, accepting a review suggestion), so every place a person chooses a
category teaches the engine without each of them knowing about it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from finance_app.db import DbSession, utcnow
from finance_app.ml import merchant_key, normalize_merchant
from finance_app.models.categorization import (
    CategoryCorrection,
    MerchantMemory,
    UserModelState,
)
from finance_app.models.ledger import Transaction
from finance_app.services.scope import Scope, scope_filter, scoped

CHUNK = 5000
# session.info keys: users whose labels changed in the open transaction / in committed ones.
_CHANGED = "categorization.labels_changed"
_COMMITTED = "categorization.labels_committed"


def text_of(txn: Transaction) -> str:
    """The bank's own words when there are any; the merchant typed by hand otherwise."""
    return txn.raw_description or txn.merchant or ""


def is_user_set(txn: Transaction) -> bool:
    """The person chose this category (or chose none): the engine must leave it alone."""
    return txn.is_locked("category") or txn.category_source == "user"


def record_labels(session: DbSession, scope: Scope, txns: Sequence[Any]) -> int:
    """Record the user's category of each transaction as a label; returns how many changed.

    `txns` are Transactions or the engine's rows (anything with id, category_id and text)."""
    txns = [t for t in txns if t.id is not None]
    if not txns:
        return 0
    existing: dict[int, CategoryCorrection] = {}
    ids = [t.id for t in txns]
    for start in range(0, len(ids), CHUNK):
        for row in session.scalars(
            scoped(CategoryCorrection, scope).where(
                CategoryCorrection.transaction_id.in_(ids[start : start + CHUNK])
            )
        ):
            existing[row.transaction_id] = row
    now = utcnow()
    fresh: list[dict] = []
    changed: list[Transaction] = []
    cleared: list[int] = []
    for txn in txns:
        correction = existing.get(txn.id)
        if txn.category_id is None:
            if correction is not None:
                cleared.append(correction.id)
            continue
        if correction is not None and correction.category_id == txn.category_id:
            continue
        key = merchant_key(text_of(txn))
        if correction is None:
            fresh.append({
                "household_id": scope.household_id, "transaction_id": txn.id,
                "category_id": txn.category_id,
                "merchant_key": key[:200], "description": text_of(txn)[:500],
                "amount": txn.amount, "provider_category": txn.provider_category or "",
                "created_at": now, "updated_at": now,
            })
        else:
            correction.category_id, correction.merchant_key = txn.category_id, key[:200]
            correction.description, correction.amount = text_of(txn)[:500], txn.amount
            correction.updated_at = now
        changed.append(txn)
    if fresh:
        for start in range(0, len(fresh), CHUNK):
            session.execute(insert(CategoryCorrection), fresh[start : start + CHUNK])
    if cleared:
        session.execute(delete(CategoryCorrection).where(CategoryCorrection.id.in_(cleared)))
    if changed:
        _remember(session, scope, changed)
    if changed or cleared:
        mark_labels_changed(session, scope)
    return len(changed) + len(cleared)


def _remember(session: DbSession, scope: Scope, txns: Sequence[Transaction]) -> None:
    """Merchant memory: the latest category per merchant, counting repeats of the same one."""
    by_key: dict[str, list[Transaction]] = {}
    for txn in sorted(txns, key=lambda t: (t.date, t.id)):
        key = merchant_key(text_of(txn))
        if key:
            by_key.setdefault(key[:200], []).append(txn)
    if not by_key:
        return
    keys = list(by_key)
    memory: dict[str, MerchantMemory] = {}
    for start in range(0, len(keys), CHUNK):
        for row in session.scalars(
            scoped(MerchantMemory, scope).where(
                MerchantMemory.merchant_key.in_(keys[start : start + CHUNK])
            )
        ):
            memory[row.merchant_key] = row
    for key, group in by_key.items():
        memo = memory.get(key)
        for txn in group:
            if memo is None:
                memo = MerchantMemory(
                    household_id=scope.household_id, merchant_key=key,
                    category_id=txn.category_id, count=0,
                    rule_offer="", merchant_name="",
                )
                session.add(memo)
                memory[key] = memo
            if memo.category_id == txn.category_id:
                memo.count = (memo.count or 0) + 1
            else:
                # The person changed their mind: follow the latest choice, and ask afresh.
                # (txns here all have a category: record_labels() passes only those.)
                memo.category_id = txn.category_id or memo.category_id
                memo.count, memo.rule_offer = 1, ""
            memo.merchant_name = (normalize_merchant(text_of(txn)) or txn.merchant)[:200]
            memo.updated_at = utcnow()
    session.flush()


def load_memory(session: DbSession, scope: Scope) -> dict[str, int]:
    """The user's whole merchant memory in one query: merchant key -> category id."""
    rows = session.execute(
        select(MerchantMemory.merchant_key, MerchantMemory.category_id).where(
            scope_filter(MerchantMemory, scope)
        )
    )
    return {key: category_id for key, category_id in rows}


def mark_labels_changed(session: DbSession, scope: Scope) -> None:
    """Note that this user's model is stale; a retrain is requested once the session commits."""
    state = session.get(UserModelState, scope.household_id)
    if state is None:
        state = UserModelState(household_id=scope.household_id, examples=0)
        session.add(state)
    state.labels_changed_at = utcnow()
    session.info.setdefault(_CHANGED, set()).add(scope.household_id)


def pop_committed_label_changes(session: DbSession) -> set[int]:
    """Users whose labels changed in transactions this session has committed since last asked."""
    return session.info.pop(_COMMITTED, set())


@event.listens_for(Session, "after_commit")
def _labels_committed(session: DbSession) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        session.info.setdefault(_COMMITTED, set()).update(changed)


@event.listens_for(Session, "after_rollback")
def _labels_rolled_back(session: DbSession) -> None:
    session.info.pop(_CHANGED, None)
