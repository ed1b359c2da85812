"""The secret iCal feed: a token shown once, replaced by a new one, events for upcoming bills."""

from __future__ import annotations

from datetime import date

import pytest

from finance_app.extensions import db
from finance_app.services.errors import NotFound
from finance_app.services.recurring import feed
from finance_app.services.recurring.detection import detect_recurring
from tests.factories import make_user, scope_of
from tests.services.recurring.conftest import netflix_household


def test_the_feed_lists_upcoming_bills_and_a_new_token_replaces_the_old(ctx):
    user = make_user()
    netflix_household(user)
    scope = scope_of(user)
    detect_recurring(db.session, scope.household_id, date(2025, 6, 20))
    first = feed.regenerate_feed_token(db.session, scope)
    assert feed.feed_scope(db.session, first).household_id == scope.household_id
    body = feed.ical_feed(db.session, feed.feed_scope(db.session, first), date(2025, 6, 20))
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20250703\r\n" in body
    assert "SUMMARY:Netflix $15.49 due\r\n" in body
    assert "SUMMARY:Landlord $1\\,200.00 due\r\n" in body  # commas escaped
    second = feed.regenerate_feed_token(db.session, scope)
    assert second != first
    with pytest.raises(NotFound):
        feed.feed_scope(db.session, first)
    feed.revoke_feed(db.session, scope)
    with pytest.raises(NotFound):
        feed.feed_scope(db.session, second)
