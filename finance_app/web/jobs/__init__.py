"""Progress of background jobs, polled by HTMX until the job ends; and the answer to any request
whose job could not be started (Redis unreachable)."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from finance_app.web.jobs import routes
