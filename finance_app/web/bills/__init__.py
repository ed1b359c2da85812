"""Bills and subscriptions: the month's calendar and list, the series a member shapes, anomaly
flags, and the secret iCal feed (its public route lives in `feed_bp`)."""

from flask import Blueprint

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("bills", __name__, url_prefix="/bills")
# The calendar feed is read by calendar apps without a session: its token is the key.
feed_bp = Blueprint("bills_feed", __name__, url_prefix="/calendar")

from finance_app.web.bills import feed, routes
