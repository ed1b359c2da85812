"""Routes of the badges blueprint: the badges page, "check now" as a job, its progress page."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import get_progress
from finance_app.models.job import Job
from finance_app.services.badges import evaluation
from finance_app.services.scope import owned
from finance_app.tasks.badges import evaluate_badges_later
from finance_app.web.badges import bp
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.scope import current_scope


@bp.get("/")
def index() -> str:
    statuses = evaluation.list_badges(db.session, current_scope(), current_user, today(),
                                      cache=ledger_cache())
    earned, locked = evaluation.count_badges(statuses)
    return render("badges/index.html", "badge_list", statuses=statuses, earned_count=earned,
                  locked_count=locked)


@bp.post("/check")
def check() -> Response:
    """Award what the data now meets (the CSRF token is checked for every post)."""
    scope = current_scope()
    job = evaluate_badges_later(scope.household_id, user_id=scope.member_id)
    return redirect_after_post(url_for("badges.checking", job_id=job.id))


@bp.get("/checking/<job_id>")
def checking(job_id: str) -> str:
    job = owned(db.session, Job, job_id, current_scope())
    percent, message = get_progress(job)
    return render("badges/checking.html", "job_progress", job=job, percent=percent,
                  message=message, next_url=url_for("badges.index"),
                  next_label="See your badges",
                  poll_url=url_for("badges.checking", job_id=job.id))


@bp.app_context_processor
def inject_newest_badge() -> dict:
    """`newest_badge()` for the dashboard's card: the member's latest award, or None."""

    def newest_badge() -> tuple | None:
        if not current_user.is_authenticated:
            return None
        return evaluation.newest_award(db.session, current_scope(), current_user.id)

    return {"newest_badge": newest_badge}
