"""Report jobs: generate a PDF or XLSX file of a report, and purge files past their retention."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.extensions import db
from finance_app.jobs import enqueue, report_progress, when_abandoned
from finance_app.models.job import Job
from finance_app.models.report import PENDING, ReportFile
from finance_app.models.user import User
from finance_app.services.ledger.periods import user_today
from finance_app.services.reports import files
from finance_app.services.reports.exporting import export_report
from finance_app.services.reports.params import ReportParams
from finance_app.services.scope import Scope, household_scope, load_scope

FAILED_MESSAGE = "The report could not be generated. Please try again."
STOPPED_MESSAGE = "The report stopped before it finished. Please generate it again."


def generate_report_file(report_file_id: int) -> dict:
    """Build the report of a pending file row as its creator sees the household, then store it.
    Running it again for a ready file does nothing."""
    row = db.session.get(ReportFile, report_file_id)
    if row is None or row.status != PENDING:
        return {"skipped": True}
    user = db.session.get(User, row.created_by_id) if row.created_by_id else None
    scope = (load_scope(db.session, row.household_id, user.id) if user is not None
             else household_scope(row.household_id))
    base = user.base_currency if user is not None else "USD"
    today = user_today(user.timezone if user is not None else None)
    try:
        _data, body = export_report(db.session, scope, base, today,
                                    ReportParams.from_json(row.params), row.format,
                                    report_progress)
        report_progress(98, "Saving the file")
        files.store_report_bytes(db.session, current_app.config["REPORT_DIR"], row, body)
    except Exception:
        db.session.rollback()
        failed = db.session.get(ReportFile, report_file_id)
        if failed is not None:
            files.mark_failed(db.session, failed, FAILED_MESSAGE)
            db.session.commit()
        raise
    db.session.commit()
    return {"report_file_id": row.id, "size": row.size}


@when_abandoned(generate_report_file)
def fail_abandoned_report(session: DbSession, job: Job) -> None:
    row = session.scalars(select(ReportFile).where(ReportFile.job_id == job.id)).first()
    if row is not None and row.status == PENDING:
        files.mark_failed(session, row, STOPPED_MESSAGE)


def generate_report_file_later(scope: Scope, row: ReportFile) -> Job:
    """Queue (without Redis: run) the job that fills `row`; the row keeps the job's id.
    Raises JobNotStarted (the row then failed) when the queue cannot take it."""
    row.job_id = None
    db.session.commit()
    try:
        job = enqueue(generate_report_file, row.id, user_id=scope.member_id,
                      household_id=scope.household_id, name="report",
                      description=f"Generating the {row.format.upper()} report")
    except Exception:
        fresh = db.session.get(ReportFile, row.id)
        if fresh is not None and fresh.status == PENDING:
            files.mark_failed(db.session, fresh, FAILED_MESSAGE)
            db.session.commit()
        raise
    fresh = db.session.get(ReportFile, row.id)
    if fresh is not None:
        fresh.job_id = job.id
        db.session.commit()
    return job


def purge_expired_report_files() -> dict:
    """Daily: delete report files older than REPORT_RETENTION_DAYS (rows and bytes)."""
    result = files.purge_expired_report_files(
        db.session, current_app.config["REPORT_DIR"],
        int(current_app.config["REPORT_RETENTION_DAYS"]))
    db.session.commit()
    return {"deleted": result.rows, "files": result.files}
