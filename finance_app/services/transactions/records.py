"""Manual transactions: create, edit (locking what the person changed), delete; and the one
`apply_external_update` that imports, syncs and rules use so they never overwrite those edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from finance_app.db import DbSession
from finance_app.models.ledger import SOURCE_MANUAL, Account, Category, Transaction
from finance_app.money import STORAGE_QUANTUM
from finance_app.services.categorization import categorize
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, owned
from finance_app.services.transactions import attachments as attachment_files
from finance_app.services.transactions import transfers
from finance_app.services.transactions.tagging import tags_by_name

# Attribute name -> the LOCKABLE_FIELDS name a person's edit of it locks.
LOCK_NAMES = {
    "date": "date",
    "amount": "amount",
    "merchant": "merchant",
    "notes": "notes",
    "category_id": "category",
    "tags": "tags",
    "is_excluded": "excluded",
}
# Follow the category lock: a rule must not restamp the source of a category a person chose.
CATEGORY_COMPANIONS = ("category_source", "category_confidence")
# Fields an import or sync may always refresh: they are the provider's, not the person's.
EXTERNAL_FREE_FIELDS = frozenset({
    "raw_description", "is_pending", "provider_category", "external_id", "fingerprint",
    "import_batch_id", "source",
})
MAX_ABS_AMOUNT = Decimal("1e14")
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2200, 12, 31)
LIMITS = {"raw_description": 500, "merchant": 200, "notes": 5000}


class InvalidAmount(ValidationFailed):
    """Enter an amount with at most four decimal places."""


class InvalidDate(ValidationFailed):
    """Enter a date between 1900 and 2200."""


class DescriptionRequired(ValidationFailed):
    """Enter a merchant or a description."""


class SplitAmountLocked(ValidationFailed):
    """This transaction is split: unsplit it before changing its amount."""


class TransferAmountLocked(ValidationFailed):
    """This transaction is half of a transfer: unlink it before changing its amount or account."""


class AccountChangeRefused(ValidationFailed):
    """Only manually entered transactions can move to another account."""


@dataclass
class TransactionInput:
    """What a person types into the add-transaction form; amount is signed (negative = out)."""

    account_id: int
    date: date
    amount: Decimal
    raw_description: str = ""
    merchant: str = ""
    notes: str = ""
    category_id: int | None = None
    tags: list[str] = field(default_factory=list)
    is_pending: bool = False
    is_excluded: bool = False


def get_transaction(session: DbSession, scope: Scope, txn_id: Any) -> Transaction:
    return owned(session, Transaction, txn_id, scope)


def create_transaction(session: DbSession, scope: Scope, data: TransactionInput) -> Transaction:
    account = owned(session, Account, data.account_id, scope)
    txn = Transaction(
        household_id=scope.household_id,
        created_by_id=scope.member_id,
        account_id=account.id,
        date=_checked_date(data.date),
        amount=_checked_amount(data.amount),
        raw_description=_text(data.raw_description, "raw_description"),
        merchant=_text(data.merchant, "merchant"),
        notes=_text(data.notes, "notes"),
        is_pending=data.is_pending,
        is_excluded=data.is_excluded,
        source=SOURCE_MANUAL,
        locked_fields=[],
    )
    if not (txn.merchant or txn.raw_description):
        raise DescriptionRequired()
    txn.raw_description = txn.raw_description or txn.merchant
    # What the person chose is theirs: lock it so the categorizer and rules leave it alone.
    if txn.merchant:
        txn.lock("merchant")
    if txn.notes:
        txn.lock("notes")
    if data.category_id is not None:
        _set_category(session, scope, txn, data.category_id)
    if data.is_excluded:
        txn.lock("excluded")
    session.add(txn)
    if data.tags:
        txn.tags = tags_by_name(session, scope, data.tags)
        txn.lock("tags")
    session.flush()
    categorize(session, scope, [txn])
    return txn


def update_transaction(
    session: DbSession, scope: Scope, txn_id: Any, **changes: Any
) -> Transaction:
    """Apply a person's edits; each field that really changes is locked against later syncs.

    Accepted keys: account_id, date, amount, raw_description, merchant, notes, category_id,
    tags (names), is_pending, is_excluded.
    """
    txn = get_transaction(session, scope, txn_id)
    unknown = set(changes) - {"account_id", "raw_description", "is_pending", *LOCK_NAMES}
    if unknown:
        raise TypeError(f"cannot edit {sorted(unknown)}")
    if "account_id" in changes and changes["account_id"] != txn.account_id:
        account = owned(session, Account, changes["account_id"], scope)
        if txn.source != SOURCE_MANUAL:
            raise AccountChangeRefused()
        if txn.is_transfer:
            raise TransferAmountLocked()
        txn.account_id = account.id
    if "amount" in changes:
        amount = _checked_amount(changes["amount"])
        if amount != txn.amount:
            if txn.splits:
                raise SplitAmountLocked()
            if txn.is_transfer:
                raise TransferAmountLocked()
            txn.amount = amount
            txn.lock("amount")
    if "date" in changes and _checked_date(changes["date"]) != txn.date:
        txn.date = changes["date"]
        txn.lock("date")
    for name in ("merchant", "notes", "raw_description"):
        if name in changes:
            value = _text(changes[name], name)
            if value != getattr(txn, name):
                setattr(txn, name, value)
                if name in LOCK_NAMES:
                    txn.lock(LOCK_NAMES[name])
    if not (txn.merchant or txn.raw_description):
        raise DescriptionRequired()
    if "category_id" in changes and changes["category_id"] != txn.category_id:
        _set_category(session, scope, txn, changes["category_id"])
    if "tags" in changes:
        tags = tags_by_name(session, scope, changes["tags"])
        if {t.id for t in tags} != {t.id for t in txn.tags}:
            txn.tags = tags
            txn.lock("tags")
    if "is_pending" in changes:
        txn.is_pending = bool(changes["is_pending"])
    if "is_excluded" in changes and bool(changes["is_excluded"]) != txn.is_excluded:
        txn.is_excluded = bool(changes["is_excluded"])
        txn.lock("excluded")
    session.flush()
    categorize(session, scope, [txn])
    return txn


def delete_transaction(
    session: DbSession, scope: Scope, txn_id: Any, attachment_dir: str | Path
) -> None:
    delete_transactions(session, scope, [get_transaction(session, scope, txn_id)],
                        attachment_dir)


def delete_transactions(
    session: DbSession, scope: Scope, txns: list[Transaction], attachment_dir: str | Path
) -> None:
    """Delete already-owned rows: unlink their transfer peers, remove receipts after commit."""
    doomed = {t.id for t in txns}
    for txn in txns:
        if txn.transfer_peer_id is not None and txn.transfer_peer_id not in doomed:
            transfers.unlink(session, scope, txn)
        attachment_files.remove_files_after_commit(session, txn.attachments, attachment_dir)
    for txn in txns:
        txn.transfer_peer_id = None
    session.flush()
    for txn in txns:
        session.delete(txn)
    session.flush()


def apply_external_update(txn: Transaction, **fields: Any) -> set[str]:
    """Set provider data on `txn`, skipping every field the person locked; returns what changed.

    Imports, bank syncs and rules must write through this. Keys are Transaction attributes:
    date, amount, merchant, notes, category_id, tags (Tag objects), is_excluded (lockable), plus
    category_source / category_confidence (skipped with a locked category) and the provider's own
    raw_description, is_pending, provider_category, external_id, fingerprint, import_batch_id,
    source. The amount of a split transaction counts as locked: its lines must keep summing to it.
    """
    applied: set[str] = set()
    for name, value in fields.items():
        if name in LOCK_NAMES:
            lock = LOCK_NAMES[name]
            if txn.is_locked(lock) or (name == "amount" and txn.splits):
                continue
        elif name in CATEGORY_COMPANIONS:
            if txn.is_locked("category"):
                continue
        elif name not in EXTERNAL_FREE_FIELDS:
            raise TypeError(f"apply_external_update cannot set {name!r}")
        if name == "tags":
            if {t.id for t in value} != {t.id for t in txn.tags}:
                txn.tags = list(value)
                applied.add(name)
            continue
        if getattr(txn, name) != value:
            setattr(txn, name, value)
            applied.add(name)
    return applied


def _set_category(session: DbSession, scope: Scope, txn: Transaction, category_id: Any) -> None:
    if category_id is None:
        txn.category_id = None
        txn.category = None
    else:
        category: Category = owned(session, Category, category_id, scope)
        txn.category_id = category.id
        txn.category = category
    txn.category_source = "user"
    txn.category_confidence = None
    txn.lock("category")


def _checked_amount(value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidAmount()
    if abs(value) >= MAX_ABS_AMOUNT or value != value.quantize(STORAGE_QUANTUM):
        raise InvalidAmount()
    return value


def _checked_date(value: Any) -> date:
    if not isinstance(value, date) or not MIN_DATE <= value <= MAX_DATE:
        raise InvalidDate()
    return value


def _text(value: Any, name: str) -> str:
    text = (value or "").strip()
    if len(text) > LIMITS[name]:
        raise ValidationFailed(f"{name.replace('_', ' ').capitalize()} is too long "
                               f"(at most {LIMITS[name]} characters).")
    return text

