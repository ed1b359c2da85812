"""The dashboard: the page a user opens every day; each widget is also an HTMX partial."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("dashboard", __name__, url_prefix="/dashboard")

from finance_app.web.dashboard import routes
