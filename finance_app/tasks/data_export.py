"""Jobs that build a member's full data export (a ZIP) and delete expired ones."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app

from finance_app.extensions import db
from finance_app.jobs import report_progress
from finance_app.models.household import Household
from finance_app.services.identity import data_archive
from finance_app.services.scope import load_scope


def build_data_archive(user_id: int, household_id: int) -> dict:
    """Write the ZIP of what the member sees in the household; the job's result names it.
    An earlier archive of the member is deleted first: one waits for download at a time."""
    scope = load_scope(db.session, household_id, user_id)
    household = db.session.get(Household, household_id)
    export_dir = current_app.config["EXPORT_DIR"]
    data_archive.remove_archives(export_dir, user_id=user_id)
    name = f"ledgerly-export-{datetime.now():%Y-%m-%d}-{secrets.token_hex(6)}.zip"
    path = data_archive.archive_path(export_dir, user_id, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    try:
        with partial.open("wb") as out:
            summary = data_archive.write_data_archive(
                db.session, scope, out, settings=current_app.config,
                household_name=household.name if household else "", progress=report_progress)
        partial.replace(path)  # a half-written ZIP is never offered for download
    finally:
        partial.unlink(missing_ok=True)
    report_progress(100, f"{summary.rows:,} rows in {summary.tables} tables, "
                         f"{summary.files} files")
    return {"file": name, "size": path.stat().st_size, "tables": summary.tables,
            "rows": summary.rows, "files": summary.files}


def purge_expired_archives() -> dict:
    """Hourly: archives older than EXPORT_RETENTION_HOURS are deleted."""
    hours = current_app.config["EXPORT_RETENTION_HOURS"]
    cutoff = datetime.now() - timedelta(hours=hours)
    return {"deleted": data_archive.remove_archives(current_app.config["EXPORT_DIR"],
                                                    older_than=cutoff)}
