"""The dashboard: the page a user opens every day; each widget is also an HTMX partial."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from finance_app.web.dashboard import routes
