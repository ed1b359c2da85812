"""Routes of the insights blueprint."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import get_progress
from finance_app.models.job import Job
from finance_app.services.insights import store
from finance_app.services.scope import owned
from finance_app.tasks.insights import refresh_insights_later
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.insights import bp
from finance_app.web.scope import current_scope


@bp.get("/")
def index() -> str:
    scope = current_scope()
    return render("insights/index.html", "insight_list",
                  insights=store.list_insights(db.session, scope),
                  dismissed=store.count_dismissed(db.session, scope),
                  refreshed_at=store.latest_refresh(db.session, scope), form=EmptyForm())


@bp.post("/<int:insight_id>/dismiss")
def dismiss(insight_id: int) -> str | Response:
    """"This is fine": gone from the list and the dashboard, and not suggested again."""
    store.dismiss_insight(db.session, current_scope(), insight_id)
    db.session.commit()
    if is_htmx():
        return ""
    flash("Dismissed: it will not be suggested again.", "success")
    return redirect_after_post(url_for("insights.index"))


@bp.post("/refresh")
def refresh() -> Response:
    scope = current_scope()
    job = refresh_insights_later(scope.household_id, user_id=scope.member_id)
    return redirect_after_post(url_for("insights.refreshing", job_id=job.id))


@bp.get("/refreshing/<job_id>")
def refreshing(job_id: str) -> str:
    job = owned(db.session, Job, job_id, current_scope())
    percent, message = get_progress(job)
    return render("insights/refreshing.html", "job_progress", job=job, percent=percent,
                  message=message, poll_url=url_for("insights.refreshing", job_id=job.id),
                  next_url=url_for("insights.index"), next_label="See the recommendations")


@bp.app_context_processor
def inject_top_insights() -> dict:
    """`top_insights()` for the dashboard's card: the three best recommendations."""

    def top_insights() -> list:
        if not current_user.is_authenticated:
            return []
        return store.list_insights(db.session, current_scope(), limit=3)

    return {"top_insights": top_insights}
