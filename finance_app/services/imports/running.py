"""The import job: parse the stored upload, skip duplicates, insert, categorize, commit once."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Table, insert, select

from finance_app.db import DbSession, utcnow
from finance_app.importers import (
    ColumnMapping,
    ImportFileError,
    ParsedRow,
    apply_mapping,
    read_table,
)
from finance_app.models.imports import REVIEW_PENDING, PendingDuplicate
from finance_app.models.ledger import SOURCE_IMPORT, Account, ImportBatch, Transaction
from finance_app.services.categorization import CategoryDecision, NewTransaction, decide_new
from finance_app.services.categorization.writing import store_review_and_tags
from finance_app.services.errors import DomainError
from finance_app.services.imports.drafts import (
    COMPLETED,
    DRAFT,
    FAILED,
    REVERTED,
    RUNNING,
    screen_rows,
)
from finance_app.services.imports.matching import NEW, REVIEW, RowMatch, classify_rows
from finance_app.services.imports.storage import UploadGone, delete_upload, read_upload
from finance_app.services.imports.writing import insert_rows
from finance_app.services.ledger.version import bump_ledger_version
from finance_app.services.scope import Scope, household_scope, scope_filter

# Rows per decide_new() call. Each call loads the household's rules, memory and model once;
# chunks bound peak memory and give a progress step every second or so (figures in
# docs/features/import.md, from benchmarks/import_pipeline.py).
CHUNK = 10_000
_COLUMNS = (
    "date", "amount", "raw_description", "merchant", "category_id", "category_source",
    "category_confidence", "external_id", "fingerprint",
)
# The failed-rows download keeps this many; the count is always exact.
MAX_STORED_ERRORS = 10_000

Progress = Callable[[int, str], None]


class ImportFailed(DomainError):
    """The import failed and nothing was imported. Please try again."""

    @property
    def user_message(self) -> str:
        return self.message


def _no_progress(percent: int, message: str) -> None:
    return None


def summarize(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch_id": batch.id,
        "status": batch.status,
        "rows": batch.total_rows,
        "imported": batch.imported_count,
        "duplicates": batch.duplicate_count,
        "review": batch.review_count,
        "errors": batch.error_count,
        "skipped": batch.skipped_count,
    }


def run_import(
    session: DbSession, batch_id: int, upload_dir: str, progress: Progress = _no_progress
) -> dict[str, Any]:
    """Import a confirmed batch in one database transaction, then delete its upload.

    Harmless to run again: a finished batch is left as it is, and rows already in the account
    are recognised by their fingerprints. On any failure nothing of the batch's rows remains and
    the batch says why.
    """
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return {"batch_id": batch_id, "status": "missing"}
    if batch.status in (COMPLETED, REVERTED, DRAFT):
        return summarize(batch)
    key = batch.upload_key
    batch.status, batch.failure = RUNNING, ""
    session.commit()
    try:
        return _import(session, batch, upload_dir, progress)
    except (ImportFileError, UploadGone) as exc:
        session.rollback()
        _mark_failed(session, batch_id, exc.message)
        raise ImportFailed(exc.message) from exc
    except ImportFailed as exc:
        session.rollback()
        _mark_failed(session, batch_id, exc.message)
        raise
    except Exception:
        session.rollback()
        _mark_failed(session, batch_id, ImportFailed.__doc__ or "")
        raise
    finally:
        gc.unfreeze()
        delete_upload(upload_dir, key)


def _mark_failed(session: DbSession, batch_id: int, message: str) -> None:
    batch = session.get(ImportBatch, batch_id)
    if batch is not None:
        batch.status, batch.failure, batch.upload_key = FAILED, message[:500], None
        batch.completed_at = utcnow()
        session.commit()


def _import(
    session: DbSession, batch: ImportBatch, upload_dir: str, progress: Progress
) -> dict[str, Any]:
    # The worker's own objects (app, libraries, models) and the parsed file live until the end:
    # keep the cyclic garbage collector from rescanning them while 50,000 rows are built.
    gc.freeze()
    progress(2, "Reading the file…")
    table = read_table(read_upload(upload_dir, batch.upload_key), batch.filename)
    parsed = apply_mapping(table, ColumnMapping.from_dict(batch.mapping))
    del table
    # Holding the account row serializes imports into one account, so two overlapping files
    # imported at once cannot both insert the same fingerprint.
    batch_id = batch.id
    scope = household_scope(batch.household_id, acting_member_id=batch.created_by_id)
    account = session.scalars(
        select(Account).where(Account.id == batch.account_id, scope_filter(Account, scope))
        .with_for_update()
    ).first()
    if account is None:
        raise ImportFailed("The account for this import no longer exists; nothing was imported.")
    result = screen_rows(parsed, account.currency)
    del parsed

    progress(6, "Looking for transactions you already have…")
    account_id = account.id
    decisions = classify_rows(session, account_id, result.rows)
    fresh = [(row, d) for row, d in zip(result.rows, decisions, strict=True) if d.kind == NEW]
    gc.freeze()  # the parsed file, too
    now = utcnow()
    # Categories are decided before the rows exist and written with them: one write per row
    # (an update of 50,000 fresh rows would rewrite every index entry of each, again).
    categorized: list[CategoryDecision] = []
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        categorized += decide_new(session, scope, [
            NewTransaction(row.description, row.amount, account_id, row.date)
            for row, _ in chunk
        ])[0]
        done = start + len(chunk)
        progress(8 + 80 * done // len(fresh), f"Categorized {done:,} of {len(fresh):,} rows…")
    progress(90, f"Saving {len(fresh):,} rows…")
    _insert_new_rows(session, fresh, categorized, scope, account_id, batch_id, now)
    if any(c.suggestions is not None or c.tags for c in categorized):
        ids = list(session.scalars(
            select(Transaction.id).where(Transaction.import_batch_id == batch_id)
            .order_by(Transaction.id)))
        store_review_and_tags(session, scope, ids, categorized)

    held = [
        {
            "household_id": scope.household_id, "batch_id": batch_id, "account_id": account_id,
            "row_number": row.row_number, "date": row.date, "amount": row.amount,
            "description": row.description, "external_id": d.external_id,
            "fingerprint": d.fingerprint, "matched_transaction_id": d.matched_id,
            "similarity": d.similarity, "status": REVIEW_PENDING, "created_at": now,
        }
        for row, d in zip(result.rows, decisions, strict=True) if d.kind == REVIEW
    ]
    if held:
        session.execute(insert(PendingDuplicate), held)

    progress(97, "Saving…")
    batch.total_rows = len(result.rows) + len(result.errors)
    batch.imported_count = len(fresh)
    batch.review_count = len(held)
    batch.duplicate_count = len(result.rows) - len(fresh) - len(held)
    batch.error_count = len(result.errors)
    batch.skipped_count = len(result.skipped)
    batch.errors = [{"row": e.row_number, "reason": e.reason, "raw": e.raw}
                    for e in result.errors[:MAX_STORED_ERRORS]]
    batch.status, batch.completed_at, batch.upload_key = COMPLETED, utcnow(), None
    session.commit()
    return summarize(batch)


def _insert_new_rows(
    session: DbSession, fresh: list[tuple[ParsedRow, RowMatch]],
    categorized: list[CategoryDecision], scope: Scope, account_id: int, batch_id: int,
    now: dt.datetime,
) -> None:
    if not fresh:
        return
    # Rows go in the file's order, so their ids follow it (store_review_and_tags relies on it).
    insert_rows(session, cast(Table, Transaction.__table__), _COLUMNS, (
        (row.date, row.amount, row.description, c.merchant, c.category_id, c.category_source,
         c.category_confidence, d.external_id, d.fingerprint)
        for (row, d), c in zip(fresh, categorized, strict=True)
    ), {
        "household_id": scope.household_id, "created_by_id": scope.member_id,
        "account_id": account_id, "import_batch_id": batch_id,
        "source": SOURCE_IMPORT, "notes": "", "provider_category": "", "is_pending": False,
        "is_excluded": False, "locked_fields": [], "created_at": now, "updated_at": now,
    })
    # Written below the ORM, so the session's hook did not see it.
    bump_ledger_version(session, scope.household_id)
