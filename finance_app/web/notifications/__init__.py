"""The notification centre: the bell in the navbar, the list, marking read."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from finance_app.web.notifications import routes
