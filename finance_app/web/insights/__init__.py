"""Saving recommendations: the list with the numbers behind each, dismiss, look again."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("insights", __name__, url_prefix="/insights")

from finance_app.web.insights import routes
