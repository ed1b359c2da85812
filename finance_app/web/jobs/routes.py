"""Routes of the jobs blueprint."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import flash, request
from flask_login import login_required
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import JobNotStarted, get_progress
from finance_app.models.job import Job
from finance_app.services.scope import owned
from finance_app.web.errors import render_error
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.jobs import bp
from finance_app.web.scope import current_scope

log = logging.getLogger(__name__)


@bp.get("/<job_id>")
@login_required
def show(job_id: str) -> str:
    job = owned(db.session, Job, job_id, current_scope())
    percent, message = get_progress(job)
    return render("jobs/show.html", "job_progress", job=job, percent=percent, message=message)


@bp.app_errorhandler(JobNotStarted)
def job_not_started(error: JobNotStarted) -> Response | tuple[str, int]:
    """Any route whose job could not be queued and that did not handle it itself: say so, and
    send a form post back where it came from (its job row is already marked failed)."""
    db.session.rollback()
    log.warning("%s %s: %s", request.method, request.path, error.message)
    back = _same_site_referrer() if request.method == "POST" else None
    if back:
        flash(error.message, "warning")
        return redirect_after_post(back)
    return render_error(503, error.message)


def _same_site_referrer() -> str | None:
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
