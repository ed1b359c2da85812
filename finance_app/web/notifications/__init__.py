"""The notification centre: the bell in the navbar, the list, marking read."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("notifications", __name__, url_prefix="/notifications",
                       household_data=False)

from finance_app.web.notifications import routes
