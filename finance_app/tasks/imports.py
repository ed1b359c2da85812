"""Import jobs: run a confirmed file import, run a stopped one again, and purge uploads of
abandoned drafts."""

from __future__ import annotations

import logging

from flask import current_app

from finance_app.db import DbSession, utcnow
from finance_app.extensions import db
from finance_app.jobs import JobNotStarted, enqueue, report_progress, when_abandoned
from finance_app.models.job import Job
from finance_app.models.ledger import ImportBatch
from finance_app.services import imports
from finance_app.services.scope import Scope
from finance_app.tasks.badges import evaluate_badges_later
from finance_app.tasks.budget_alerts import check_budget_alerts_later
from finance_app.tasks.goals import evaluate_milestones_later
from finance_app.tasks.insights import refresh_insights_later
from finance_app.tasks.recurring import detect_recurring_later

log = logging.getLogger(__name__)

STOPPED_MESSAGE = "The import stopped before it finished; nothing was saved."


class ImportNotStarted(JobNotStarted):
    """The import could not be started; try again in a moment."""


def run_import(batch_id: int) -> dict:
    summary = imports.run_import(db.session, batch_id, current_app.config["UPLOAD_DIR"],
                                 report_progress)
    if summary.get("imported"):
        # New spending may cross a budget threshold; alerts fire once per period however many
        # imports arrive, so checking after every import is safe.
        batch = db.session.get(ImportBatch, batch_id)
        if batch is not None:
            try:
                check_budget_alerts_later(batch.household_id)
                evaluate_badges_later(batch.household_id)  # a first import is a badge
                evaluate_milestones_later(batch.household_id)  # linked accounts grew
                refresh_insights_later(batch.household_id)  # saving recommendations
                detect_recurring_later(batch.household_id)  # new bills, anomalies
            except JobNotStarted:  # the import is committed; the nightly check catches up
                log.warning("budget check after import %s not started", batch_id)
    return summary


def run_import_later(scope: Scope, batch_id: int, *, inline: bool = False) -> Job:
    """Queue (or, inline, run) a confirmed batch; the batch keeps the job's id for its page.

    If the job cannot be started the batch is a draft again and ImportNotStarted is raised.
    """
    return _start(scope, batch_id, back_to=imports.DRAFT, inline=inline)


def retry_import_later(scope: Scope, batch_id: int) -> Job:
    """"Import again": run a stopped batch once more, from its stored file with its mapping.

    Harmless: rows already in the account are recognised by their fingerprints.
    """
    batch = imports.get_batch(db.session, scope, batch_id)
    if not can_retry(batch):
        raise imports.ImportAlreadyStarted()
    batch.status, batch.failure, batch.completed_at = imports.QUEUED, "", None
    db.session.flush()
    return _start(scope, batch_id, back_to=imports.FAILED, failure=STOPPED_MESSAGE)


def can_retry(batch: ImportBatch) -> bool:
    """A batch whose job stopped keeps its file (and mapping), so it can simply run again."""
    return batch.status == imports.FAILED and batch.upload_key is not None


def _start(scope: Scope, batch_id: int, *, back_to: str, failure: str = "",
           inline: bool = False) -> Job:
    batch = imports.get_batch(db.session, scope, batch_id)
    try:
        job = enqueue(run_import, batch.id, user_id=scope.member_id,
                      household_id=scope.household_id, name="import",
                      description=f"Importing {batch.filename}", inline=inline)
    except JobNotStarted as exc:
        # enqueue() committed the batch as queued: undo that, so nothing waits for a job.
        batch = imports.get_batch(db.session, scope, batch_id)
        if batch.status == imports.QUEUED:
            batch.status, batch.failure = back_to, failure
            db.session.commit()
        raise ImportNotStarted() from exc
    batch = imports.get_batch(db.session, scope, batch_id)
    batch.job_id = job.id
    db.session.commit()
    return job


@when_abandoned(run_import)
def fail_stopped_import(session: DbSession, job: Job) -> None:
    """The import's worker died: nothing of it was committed (it is one transaction), so the
    batch is failed with its file kept for "Import again"."""
    job.message = STOPPED_MESSAGE
    batch = session.get(ImportBatch, job.args[0]) if job.args else None
    if batch is None or batch.job_id != job.id:
        return  # a newer attempt owns the batch now
    if batch.status in (imports.QUEUED, imports.RUNNING):
        batch.status, batch.failure, batch.completed_at = imports.FAILED, STOPPED_MESSAGE, utcnow()


def purge_abandoned_uploads() -> dict:
    result = imports.purge_abandoned_uploads(db.session, current_app.config["UPLOAD_DIR"])
    db.session.commit()
    return result
