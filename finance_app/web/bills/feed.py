"""The public iCal feed: `GET /calendar/<token>.ics`, no session; an unknown or replaced token
is a 404 like any missing page."""

from __future__ import annotations

from flask import Response, request

from finance_app.extensions import db
from finance_app.services.ledger.periods import user_today
from finance_app.services.recurring.feed import feed_scope, ical_feed
from finance_app.web.bills import feed_bp


@feed_bp.get("/<token>.ics")
def ical(token: str) -> Response:
    scope = feed_scope(db.session, token)
    body = ical_feed(db.session, scope, user_today(None), host=request.host)
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, max-age=900"
    response.headers["Content-Disposition"] = 'inline; filename="bills.ics"'
    return response
