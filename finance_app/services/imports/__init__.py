"""File imports: stage an upload, preview it with a mapping, run it as one batch, undo it.

    batch, preview = stage_upload(session, scope, data, name, upload_dir=..., max_bytes=...,
                                  account_id=...)       # ImportFileError: nothing written
    batch, table = open_draft(session, scope, batch.id, upload_dir)
    preview = preview_table(session, scope, table, batch.account_id, mapping)
    confirm_import(session, scope, batch.id, upload_dir, mapping)  # then enqueue the job:
    run_import(session, batch.id, upload_dir, progress)  # finance_app.tasks.imports.run_import
    undo_import(session, scope, batch.id)
"""

from __future__ import annotations

from finance_app.services.imports.batches import (
    BatchRow,
    CannotUndo,
    cancel_draft,
    count_pending,
    failed_rows_csv,
    get_batch,
    get_batch_account,
    list_batches,
    list_pending,
    purge_abandoned_uploads,
    resolve_all_pending,
    resolve_pending,
    undo_import,
)
from finance_app.services.imports.drafts import (
    COMPLETED,
    DRAFT,
    FAILED,
    QUEUED,
    REVERTED,
    RUNNING,
    CurrencyNotStated,
    FileTooLargeError,
    ImportAlreadyStarted,
    ImportPreview,
    NewAccount,
    NoReadableRowsError,
    NothingToImport,
    SignNotConfirmed,
    column_samples,
    confirm_import,
    get_draft,
    get_or_create_account,
    get_saved_mapping,
    list_import_accounts,
    open_draft,
    preview_import,
    preview_table,
    set_draft_mapping,
    stage_upload,
    too_large_message,
)
from finance_app.services.imports.matching import DUPLICATE, NEW, REVIEW
from finance_app.services.imports.running import ImportFailed, run_import, summarize
from finance_app.services.imports.storage import UploadGone
from finance_app.services.imports.suggestions import (
    AccountSuggestion,
    move_draft_to_account,
    suggest_existing_account,
)

__all__ = [
    "COMPLETED",
    "DRAFT",
    "DUPLICATE",
    "FAILED",
    "NEW",
    "QUEUED",
    "REVERTED",
    "REVIEW",
    "RUNNING",
    "AccountSuggestion",
    "BatchRow",
    "CannotUndo",
    "CurrencyNotStated",
    "FileTooLargeError",
    "ImportAlreadyStarted",
    "ImportFailed",
    "ImportPreview",
    "NewAccount",
    "NoReadableRowsError",
    "NothingToImport",
    "SignNotConfirmed",
    "UploadGone",
    "cancel_draft",
    "column_samples",
    "confirm_import",
    "count_pending",
    "failed_rows_csv",
    "get_batch",
    "get_batch_account",
    "get_draft",
    "get_or_create_account",
    "get_saved_mapping",
    "list_batches",
    "list_import_accounts",
    "list_pending",
    "move_draft_to_account",
    "open_draft",
    "preview_import",
    "preview_table",
    "purge_abandoned_uploads",
    "resolve_all_pending",
    "resolve_pending",
    "run_import",
    "set_draft_mapping",
    "stage_upload",
    "suggest_existing_account",
    "summarize",
    "too_large_message",
    "undo_import",
]
