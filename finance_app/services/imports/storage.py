"""Uploaded files kept under UPLOAD_DIR with random names, only until their import ends."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from finance_app.services.errors import DomainError

_SUFFIX = ".upload"


class UploadGone(DomainError):
    """This upload is no longer available (imports are kept for a day). Please upload the
    file again."""


def _path(upload_dir: str, key: str) -> Path:
    # Keys are generated here; anything else (a path, "..") is refused rather than resolved.
    if not key or not key.endswith(_SUFFIX) or not key[: -len(_SUFFIX)].isalnum():
        raise UploadGone(f"bad upload key {key!r}")
    return Path(upload_dir) / key


def save_upload(upload_dir: str, data: bytes) -> str:
    """Write `data` under a fresh random name (never the user's file name) and return the key."""
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16) + _SUFFIX
    temporary = directory / (key + ".part")
    with open(temporary, "wb") as handle:
        os.chmod(temporary, 0o600)
        handle.write(data)
    temporary.replace(directory / key)
    return key


def read_upload(upload_dir: str, key: str | None) -> bytes:
    if key is None:
        raise UploadGone("no upload key")
    try:
        return _path(upload_dir, key).read_bytes()
    except FileNotFoundError:
        raise UploadGone(f"{key} is gone") from None


def delete_upload(upload_dir: str, key: str | None) -> None:
    if key is None:
        return
    try:
        _path(upload_dir, key).unlink(missing_ok=True)
    except UploadGone:
        return


def list_stale_uploads(upload_dir: str, older_than_seconds: float) -> list[str]:
    """Keys of upload files (and half-written parts) untouched for longer than the age given."""
    directory = Path(upload_dir)
    if not directory.is_dir():
        return []
    cutoff = time.time() - older_than_seconds
    return [p.name for p in directory.iterdir()
            if p.name.endswith((_SUFFIX, _SUFFIX + ".part")) and p.stat().st_mtime < cutoff]


def remove_file(upload_dir: str, name: str) -> None:
    """Remove a stale file found by list_stale_uploads (parts included)."""
    path = Path(upload_dir) / Path(name).name
    path.unlink(missing_ok=True)
