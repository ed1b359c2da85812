"""Finished imports: history, undo, the probable-duplicate review and the failed-rows download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from finance_app import exports
from finance_app.db import DbSession, utcnow
from finance_app.models.imports import (
    REVIEW_IMPORTED,
    REVIEW_PENDING,
    REVIEW_SKIPPED,
    PendingDuplicate,
)
from finance_app.models.ledger import (
    SOURCE_IMPORT,
    Account,
    Attachment,
    ImportBatch,
    Transaction,
)
from finance_app.services.categorization import categorize
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.imports.drafts import COMPLETED, DRAFT, REVERTED, get_draft
from finance_app.services.imports.storage import (
    delete_upload,
    list_stale_uploads,
    remove_file,
)
from finance_app.services.scope import Scope, owned, scope_filter, scoped
from finance_app.services.transactions import attachments

ABANDONED_AFTER = timedelta(hours=24)


class CannotUndo(DomainError):
    """Only a finished import can be undone."""


@dataclass(slots=True)
class BatchRow:
    batch: ImportBatch
    account_name: str
    pending_reviews: int


def list_batches(session: DbSession, scope: Scope, limit: int = 20) -> list[BatchRow]:
    """The user's latest imports, newest first, with their account names and open reviews."""
    pending = (
        select(PendingDuplicate.batch_id, func.count().label("n"))
        .where(scope_filter(PendingDuplicate, scope), PendingDuplicate.status == REVIEW_PENDING)
        .group_by(PendingDuplicate.batch_id).subquery()
    )
    query = (
        scoped(ImportBatch, scope)
        .add_columns(Account.name, func.coalesce(pending.c.n, 0))
        .outerjoin(Account, Account.id == ImportBatch.account_id)
        .outerjoin(pending, pending.c.batch_id == ImportBatch.id)
        .where(ImportBatch.status != DRAFT)
        .order_by(ImportBatch.created_at.desc(), ImportBatch.id.desc())
        .limit(limit)
    )
    return [BatchRow(batch, name or "", int(n)) for batch, name, n in session.execute(query)]


def get_batch(session: DbSession, scope: Scope, batch_id: int) -> ImportBatch:
    return owned(session, ImportBatch, batch_id, scope)


def get_batch_account(session: DbSession, scope: Scope, batch: ImportBatch) -> Account | None:
    """The account the batch imports into (None if it has been deleted since)."""
    if batch.account_id is None:
        return None
    return session.scalars(scoped(Account, scope).where(Account.id == batch.account_id)).first()


def count_pending(session: DbSession, scope: Scope, batch_id: int) -> int:
    return int(session.scalar(
        select(func.count()).select_from(PendingDuplicate).where(
            scope_filter(PendingDuplicate, scope), PendingDuplicate.batch_id == batch_id,
            PendingDuplicate.status == REVIEW_PENDING,
        )
    ) or 0)


def undo_import(
    session: DbSession, scope: Scope, batch_id: int, attachment_dir: str | None = None
) -> int:
    """Delete every transaction the import created (edited ones too, with their splits, tags
    and attachments) and its held rows; the batch stays in the history as reverted.

    With `attachment_dir`, receipt files of those transactions are removed once this commits.
    """
    batch = owned(session, ImportBatch, batch_id, scope)
    if batch.status != COMPLETED:
        raise CannotUndo()
    if attachment_dir is not None:
        receipts = session.scalars(
            scoped(Attachment, scope)
            .join(Transaction, Transaction.id == Attachment.transaction_id)
            .where(Transaction.import_batch_id == batch.id)
        )
        attachments.remove_files_after_commit(session, list(receipts), attachment_dir)
    result = session.execute(
        delete(Transaction).where(
            scope_filter(Transaction, scope), Transaction.import_batch_id == batch.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(PendingDuplicate).where(
        scope_filter(PendingDuplicate, scope), PendingDuplicate.batch_id == batch.id))
    session.expire_all()
    batch = owned(session, ImportBatch, batch_id, scope)
    batch.status, batch.reverted_at = REVERTED, utcnow()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def list_pending(session: DbSession, scope: Scope, batch_id: int) -> list[
    tuple[PendingDuplicate, Transaction | None]
]:
    """The batch's held rows awaiting a decision, each with the transaction it resembles."""
    batch = owned(session, ImportBatch, batch_id, scope)
    query = (
        scoped(PendingDuplicate, scope)
        .add_columns(Transaction)
        .outerjoin(Transaction, (Transaction.id == PendingDuplicate.matched_transaction_id)
                   & (scope_filter(Transaction, scope)))
        .where(PendingDuplicate.batch_id == batch.id, PendingDuplicate.status == REVIEW_PENDING)
        .order_by(PendingDuplicate.row_number)
    )
    return [(pending, txn) for pending, txn in session.execute(query)]


def resolve_pending(session: DbSession, scope: Scope, pending_id: int, action: str,
                    batch_id: int | None = None) -> PendingDuplicate:
    """"import": add the held row as a transaction after all; "skip": leave it out for good."""
    pending = owned(session, PendingDuplicate, pending_id, scope)
    if batch_id is not None and pending.batch_id != batch_id:
        owned(session, ImportBatch, -1, scope)  # raises NotFound: not a row of that batch
    _resolve(session, scope, [pending], action)
    return pending


def resolve_all_pending(session: DbSession, scope: Scope, batch_id: int, action: str) -> int:
    rows = [pending for pending, _ in list_pending(session, scope, batch_id)]
    _resolve(session, scope, rows, action)
    return len(rows)


def _resolve(session: DbSession, scope: Scope, rows: list[PendingDuplicate], action: str) -> None:
    if action not in ("import", "skip"):
        raise ValidationFailed("Choose whether to import or skip the row.")
    rows = [p for p in rows if p.status == REVIEW_PENDING]
    if not rows:
        return
    batch = owned(session, ImportBatch, rows[0].batch_id, scope)
    if batch.status != COMPLETED:
        raise ValidationFailed("This import has been undone.")
    now = utcnow()
    if action == "skip":
        for pending in rows:
            pending.status, pending.resolved_at = REVIEW_SKIPPED, now
        return
    taken_ids = set(session.scalars(
        select(Transaction.external_id).where(
            Transaction.account_id == batch.account_id,
            Transaction.external_id.in_([p.external_id for p in rows if p.external_id]))
    ))
    taken_fps = set(session.scalars(
        select(Transaction.fingerprint).where(
            Transaction.account_id == batch.account_id,
            Transaction.fingerprint.in_([p.fingerprint for p in rows]))
    ))
    created = []
    for pending in rows:
        if pending.fingerprint in taken_fps:
            # Imported meanwhile (another file had it): importing again would double it.
            pending.status, pending.resolved_at = REVIEW_SKIPPED, now
            continue
        txn = Transaction(
            household_id=scope.household_id, created_by_id=scope.member_id,
            account_id=pending.account_id, date=pending.date,
            amount=pending.amount, raw_description=pending.description, source=SOURCE_IMPORT,
            external_id=None if pending.external_id in taken_ids else pending.external_id,
            fingerprint=pending.fingerprint, import_batch_id=batch.id, locked_fields=[],
        )
        session.add(txn)
        created.append((pending, txn))
    if not created:
        return
    session.flush()
    categorize(session, scope, [txn for _, txn in created])
    for pending, txn in created:
        pending.status, pending.resolved_at, pending.transaction_id = (
            REVIEW_IMPORTED, now, txn.id)
    batch.imported_count += len(created)


def failed_rows_csv(session: DbSession, scope: Scope, batch_id: int) -> tuple[str, str]:
    """(file name, CSV text) of the rows that could not be read: row number, reason, the row."""
    batch = owned(session, ImportBatch, batch_id, scope)
    columns: list[str] = []
    for error in batch.errors or []:
        for name in error.get("raw", {}):
            if name not in columns:
                columns.append(name)
    rows = (
        [error.get("row"), error.get("reason"), *(error.get("raw", {}).get(c, "") for c in columns)]
        for error in batch.errors or []
    )
    stem = batch.filename.rsplit(".", 1)[0] or "import"
    return f"{stem}-failed-rows.csv", exports.to_csv(["Row", "Reason", *columns], rows)


def cancel_draft(session: DbSession, scope: Scope, batch_id: int, upload_dir: str) -> None:
    """Forget a draft that was never started, and its upload."""
    batch = get_draft(session, scope, batch_id)
    delete_upload(upload_dir, batch.upload_key)
    session.delete(batch)


def purge_abandoned_uploads(session: DbSession, upload_dir: str) -> dict[str, int]:
    """Drafts left for a day lose their upload and their batch; stray files are removed."""
    cutoff = utcnow() - ABANDONED_AFTER
    drafts = session.scalars(
        select(ImportBatch).where(ImportBatch.status == DRAFT, ImportBatch.created_at < cutoff)
    ).all()
    for batch in drafts:
        delete_upload(upload_dir, batch.upload_key)
        session.delete(batch)
    session.flush()
    live = set(session.scalars(
        select(ImportBatch.upload_key).where(ImportBatch.upload_key.is_not(None))))
    stray = [name for name in list_stale_uploads(upload_dir, ABANDONED_AFTER.total_seconds())
             if name not in live]
    for name in stray:
        remove_file(upload_dir, name)
    return {"drafts": len(drafts), "files": len(stray)}
