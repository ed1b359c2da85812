"""Generated report files: a row per file, its bytes under REPORT_DIR/<household id>/ with a
random name, listed and read only through the household's scope, purged after the retention."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, delete, or_, select

from finance_app.db import DbSession, utcnow
from finance_app.models.report import FAILED, FILE_FORMATS, PENDING, READY, ReportFile
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.reports.builder import ResolvedQuery
from finance_app.services.reports.params import KINDS, ReportParams
from finance_app.services.scope import Scope

_KEY_SUFFIXES = tuple(f".{f}" for f in FILE_FORMATS)


class UnknownFormat(ValidationFailed):
    """Choose PDF or XLSX."""


class ReportFileGone(NotFound):
    """This report file is no longer available (files are kept for a limited time). Please
    generate it again."""


def _visible(scope: Scope) -> Select[ReportFile]:
    """The household's files this member may see: all but other members' private ones."""
    query = select(ReportFile).where(ReportFile.household_id == scope.household_id)
    if scope.member_id is not None:
        query = query.where(or_(ReportFile.private_to_id.is_(None),
                                ReportFile.private_to_id == scope.member_id))
    return query


def list_report_files(session: DbSession, scope: Scope, limit: int = 50) -> list[ReportFile]:
    return list(session.scalars(
        _visible(scope).order_by(ReportFile.created_at.desc(), ReportFile.id.desc()).limit(limit)
    ))


def get_report_file(session: DbSession, scope: Scope, report_id: object) -> ReportFile:
    """The file with this id if this member may see it, else NotFound (a 404)."""
    try:
        key = int(str(report_id))
    except ValueError as exc:
        raise NotFound() from exc
    found = session.scalars(_visible(scope).where(ReportFile.id == key)).first()
    if found is None:
        raise NotFound()
    return found


def create_report_file(session: DbSession, scope: Scope, resolved: ResolvedQuery,
                       params: ReportParams, file_format: str) -> ReportFile:
    """A pending file row for the job to fill. A report covering a member's private account is
    private to them, so the household's other members never see its figures."""
    if file_format not in FILE_FORMATS:
        raise UnknownFormat()
    private = any(a.is_private for a in resolved.accounts)
    row = ReportFile(
        household_id=scope.household_id, created_by_id=scope.member_id,
        private_to_id=scope.member_id if private else None, format=file_format,
        kind=params.kind, title=KINDS[params.kind], period_start=params.start,
        period_end=params.end, params=params.to_json(), status=PENDING,
    )
    session.add(row)
    session.flush()
    return row


def _directory(report_dir: str, household_id: int) -> Path:
    return Path(report_dir) / str(int(household_id))


def _path(report_dir: str, row: ReportFile) -> Path:
    key = row.storage_key or ""
    # Keys are generated here; anything else (a path, "..") is refused rather than resolved.
    stem, _, suffix = key.rpartition(".")
    if not stem.isalnum() or f".{suffix}" not in _KEY_SUFFIXES:
        raise ReportFileGone()
    return _directory(report_dir, row.household_id) / key


def store_report_bytes(session: DbSession, report_dir: str, row: ReportFile,
                       body: bytes) -> ReportFile:
    """Write the bytes under a fresh random name (0600), then mark the row ready."""
    directory = _directory(report_dir, row.household_id)
    directory.mkdir(parents=True, exist_ok=True)
    key = f"{secrets.token_hex(16)}.{row.format}"
    temporary = directory / (key + ".part")
    with open(temporary, "wb") as handle:
        os.chmod(temporary, 0o600)
        handle.write(body)
    temporary.replace(directory / key)
    row.storage_key, row.size, row.status = key, len(body), READY
    row.completed_at, row.failure = utcnow(), ""
    session.flush()
    return row


def mark_failed(session: DbSession, row: ReportFile, message: str) -> None:
    row.status, row.failure, row.completed_at = FAILED, message[:300], utcnow()
    session.flush()


def read_report_bytes(report_dir: str, row: ReportFile) -> bytes:
    if row.status != READY:
        raise ReportFileGone()
    try:
        return _path(report_dir, row).read_bytes()
    except FileNotFoundError:
        raise ReportFileGone() from None


def _remove(report_dir: str, row: ReportFile) -> None:
    if row.storage_key:
        try:
            _path(report_dir, row).unlink(missing_ok=True)
        except ReportFileGone:
            return


def delete_report_file(session: DbSession, scope: Scope, report_dir: str,
                       report_id: object) -> None:
    row = get_report_file(session, scope, report_id)
    _remove(report_dir, row)
    session.delete(row)
    session.flush()


@dataclass(frozen=True)
class PurgeResult:
    rows: int
    files: int


def purge_expired_report_files(session: DbSession, report_dir: str, retention_days: int,
                               now: datetime | None = None) -> PurgeResult:
    """Delete every household's report files older than the retention, rows and bytes."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    expired = list(session.scalars(select(ReportFile).where(ReportFile.created_at < cutoff)))
    files = 0
    for row in expired:
        if row.storage_key:
            _remove(report_dir, row)
            files += 1
    if expired:
        session.execute(delete(ReportFile).where(ReportFile.id.in_([r.id for r in expired])))
    session.flush()
    return PurgeResult(len(expired), files)
