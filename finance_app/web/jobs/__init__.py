"""Progress of background jobs, polled by HTMX until the job ends."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

from finance_app.web.jobs import routes
