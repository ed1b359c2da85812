"""Routes of the jobs blueprint."""

from __future__ import annotations

from flask_login import login_required

from finance_app.extensions import db
from finance_app.jobs import get_progress
from finance_app.models.job import Job
from finance_app.services.scope import owned
from finance_app.web.htmx import render
from finance_app.web.jobs import bp
from finance_app.web.scope import current_scope


@bp.get("/<job_id>")
@login_required
def show(job_id: str) -> str:
    job = owned(db.session, Job, job_id, current_scope())
    percent, message = get_progress(job)
    return render("jobs/show.html", "job_progress", job=job, percent=percent, message=message)
