"""Receipts: JPEG, PNG or PDF recognised by content, stored under random keys, owner-only."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import filetype
from sqlalchemy import event
from sqlalchemy.orm import Session

from finance_app.db import DbSession
from finance_app.models.ledger import Attachment, Transaction
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.scope import Scope, owned, scoped

# Detected MIME type -> the extension of the stored file.
ALLOWED_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_PENDING_KEY = "attachment_files_to_remove"
_UNSAFE = re.compile(r"[^\w.\- ()]+")


class UnsupportedFileType(ValidationFailed):
    """Receipts must be JPEG, PNG or PDF files."""


class FileTooLarge(ValidationFailed):
    """That file is too large."""


class EmptyFile(ValidationFailed):
    """That file is empty."""


def detect_type(data: bytes) -> str | None:
    """The MIME type the bytes really are (magic numbers), if it is one we accept."""
    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None and kind.mime in ALLOWED_TYPES else None


def display_filename(name: str, content_type: str) -> str:
    """A harmless name to show and to offer on download; the extension follows the content."""
    base = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    stem = _UNSAFE.sub("_", base.rsplit(".", 1)[0] if "." in base else base).strip(" ._")
    return f"{(stem or 'receipt')[:120]}.{ALLOWED_TYPES[content_type]}"


def add_attachment(
    session: DbSession, scope: Scope, txn_id: Any, filename: str, data: bytes,
    directory: str | Path, max_bytes: int = DEFAULT_MAX_BYTES,
) -> Attachment:
    txn = owned(session, Transaction, txn_id, scope)
    if not data:
        raise EmptyFile()
    if len(data) > max_bytes:
        raise FileTooLarge(f"That file is larger than the {max_bytes // (1024 * 1024)} MB limit.")
    content_type = detect_type(data)
    if content_type is None:
        raise UnsupportedFileType()
    key = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
    path = Path(directory) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    # Exclusive create: a key collision must never overwrite someone's receipt.
    with open(path, "xb") as handle:
        handle.write(data)
    attachment = Attachment(
        household_id=scope.household_id, transaction_id=txn.id,
            filename=display_filename(filename, content_type),
        content_type=content_type, size=len(data), storage_key=key,
    )
    session.add(attachment)
    try:
        session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return attachment


def list_attachments(session: DbSession, scope: Scope, txn_id: int) -> list[Attachment]:
    return list(session.scalars(
        scoped(Attachment, scope).where(Attachment.transaction_id == txn_id)
        .order_by(Attachment.created_at, Attachment.id)
    ))


def get_attachment(session: DbSession, scope: Scope, attachment_id: Any) -> Attachment:
    return owned(session, Attachment, attachment_id, scope)


def open_attachment(
    session: DbSession, scope: Scope, attachment_id: Any, directory: str | Path
) -> tuple[Attachment, Path]:
    """The owner's attachment and its file on disk (NotFound for anyone else, or a lost file)."""
    attachment = owned(session, Attachment, attachment_id, scope)
    path = storage_path(directory, attachment.storage_key)
    if not path.is_file():
        raise NotFound()
    return attachment, path


def delete_attachment(
    session: DbSession, scope: Scope, attachment_id: Any, directory: str | Path
) -> int:
    """Delete the row now and the file once the deletion is committed; returns the txn id."""
    attachment = owned(session, Attachment, attachment_id, scope)
    txn_id = attachment.transaction_id
    remove_files_after_commit(session, [attachment], directory)
    session.delete(attachment)
    session.flush()
    return txn_id


def storage_path(directory: str | Path, key: str) -> Path:
    root = Path(directory).resolve()
    path = (root / key).resolve()
    if path.parent != root:  # keys are generated here; anything else is tampering
        raise NotFound()
    return path


def remove_files_after_commit(
    session: DbSession, attachments: Iterable[Attachment], directory: str | Path
) -> None:
    """Files go only when the rows' deletion commits, so a rollback never loses a receipt."""
    real = session() if callable(session) and not isinstance(session, Session) else session
    pending = real.info.setdefault(_PENDING_KEY, [])
    pending.extend(storage_path(directory, a.storage_key) for a in attachments)


@event.listens_for(Session, "after_commit")
def _remove_pending_files(session: DbSession) -> None:
    for path in session.info.pop(_PENDING_KEY, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _forget_pending_files(session: DbSession) -> None:
    session.info.pop(_PENDING_KEY, None)
