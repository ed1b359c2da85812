"""Import jobs: run a confirmed file import, and purge uploads of abandoned drafts."""

from __future__ import annotations

from flask import current_app

from finance_app.extensions import db
from finance_app.jobs import enqueue, report_progress
from finance_app.models.job import Job
from finance_app.models.ledger import ImportBatch
from finance_app.services import imports
from finance_app.services.scope import Scope
from finance_app.tasks.budget_alerts import check_budget_alerts_later


def run_import(batch_id: int) -> dict:
    summary = imports.run_import(db.session, batch_id, current_app.config["UPLOAD_DIR"],
                                 report_progress)
    if summary.get("imported"):
        # New spending may cross a budget threshold; alerts fire once per period however many
        # imports arrive, so checking after every import is safe.
        batch = db.session.get(ImportBatch, batch_id)
        if batch is not None:
            check_budget_alerts_later(batch.household_id)
    return summary


def run_import_later(scope: Scope, batch_id: int, *, inline: bool = False) -> Job:
    """Queue (or, inline, run) a confirmed batch; the batch keeps the job's id for its page."""
    batch = imports.get_batch(db.session, scope, batch_id)
    job = enqueue(run_import, batch.id, user_id=scope.member_id,
                  household_id=scope.household_id, name="import",
                  description=f"Importing {batch.filename}", inline=inline)
    batch = imports.get_batch(db.session, scope, batch_id)
    batch.job_id = job.id
    db.session.commit()
    return job


def purge_abandoned_uploads() -> dict:
    result = imports.purge_abandoned_uploads(db.session, current_app.config["UPLOAD_DIR"])
    db.session.commit()
    return result
