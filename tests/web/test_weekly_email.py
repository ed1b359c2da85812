"""The weekly email's unsubscribe link (no sign-in; GET confirms, POST unsubscribes; one-click
POST from mail clients without CSRF) and its preferences on the profile page."""

from __future__ import annotations

from flask import Flask

from finance_app.extensions import db
from finance_app.models.audit import AuditEvent
from finance_app.models.user import User
from finance_app.services.weekly_summary.unsubscribe import make_unsubscribe_token
from tests.factories import make_user


def _link(app: Flask, email: str = "reader@example.com") -> tuple[int, str]:
    with app.app_context():
        user = make_user(email)
        token = make_unsubscribe_token(app.config["SECRET_KEY"], user)
        return user.id, f"/email/weekly/unsubscribe/{token}"


def _subscribed(app: Flask, user_id: int) -> bool:
    with app.app_context():
        return db.session.get(User, user_id).notify_weekly_email


def test_the_link_shows_a_confirmation_and_changes_nothing_until_posted(app, client):
    user_id, link = _link(app)
    page = client.get(link)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Stop the weekly summary?" in body and 'method="post"' in body
    assert "reader@example.com" not in body and "r•••••@example.com" in body
    assert _subscribed(app, user_id)

    token = client.csrf_token(link)
    response = client.post(link, data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith(link)
    assert not _subscribed(app, user_id)
    assert "You're unsubscribed" in client.get(link).get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(user_id=user_id,
                                                      event="profile.updated").count() == 1


def test_one_click_unsubscribe_needs_no_csrf_token_and_no_cookie(app):
    user_id, link = _link(app)
    fresh = app.test_client()  # a mail client: no session, no CSRF token
    response = fresh.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Unsubscribed" in response.get_data(as_text=True)
    assert not _subscribed(app, user_id)
    # Again: harmless.
    assert fresh.post(link, data={"List-Unsubscribe": "One-Click"}).status_code == 200


def test_a_tampered_link_is_refused_and_changes_nothing(app, client):
    user_id, link = _link(app)
    bad = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    assert client.get(bad).status_code == 400
    response = client.post(bad, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "invalid" in response.get_data(as_text=True)
    assert _subscribed(app, user_id)


def test_a_link_signed_for_another_purpose_does_not_unsubscribe(app, client):
    from finance_app.services.identity.users import make_verification_token

    with app.app_context():
        user = make_user("other@example.com")
        user_id, token = user.id, make_verification_token(app.config["SECRET_KEY"], user)
    assert client.post(f"/email/weekly/unsubscribe/{token}",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 400
    assert _subscribed(app, user_id)


def test_other_routes_still_need_a_csrf_token(client, user_id):
    response = client.post("/settings/profile", data={"name": "No token"})
    assert response.status_code == 400


def test_profile_sets_weekday_hour_and_figures(app, client, user_id):
    page = client.get("/settings/profile").get_data(as_text=True)
    assert 'name="weekly_email_weekday"' in page and 'name="weekly_email_hour"' in page
    response = client.post_form("/settings/profile", {
        "name": "Alice", "base_currency": "USD", "timezone": "Asia/Tokyo", "locale": "en_US",
        "notify_weekly_email": "y", "weekly_email_weekday": "4", "weekly_email_hour": "18",
        "weekly_email_figures": "y",
    }, page="/settings/profile")
    assert response.status_code == 303
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.timezone, user.weekly_email_weekday, user.weekly_email_hour,
                user.weekly_email_figures) == ("Asia/Tokyo", 4, 18, True)


def test_profile_refuses_a_bad_hour_or_zone_and_changes_nothing(app, client, user_id):
    for bad in ({"weekly_email_hour": "24"}, {"weekly_email_weekday": "monday"},
                {"timezone": "Mars/Olympus"}):
        response = client.post_form("/settings/profile", {
            "name": "Alice", "base_currency": "USD", "timezone": "UTC", "locale": "en_US",
            "weekly_email_weekday": "2", "weekly_email_hour": "9", **bad,
        }, page="/settings/profile")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "is-invalid" in body
        assert "Not a valid choice" in body or "could not coerce" in body
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.timezone, user.weekly_email_weekday, user.weekly_email_hour) == (
            "UTC", 0, 8)


def test_the_service_refuses_out_of_range_values(app, user_id):
    import pytest

    from finance_app.services.errors import ValidationFailed
    from finance_app.services.identity.users import ProfileChanges, update_profile

    with app.app_context():
        user = db.session.get(User, user_id)
        changes = ProfileChanges("A", "USD", "UTC", "en_US", True, True, True,
                                 weekly_email_weekday=7)
        with pytest.raises(ValidationFailed):
            update_profile(db.session, user, changes)
        assert user.weekly_email_weekday == 0


def test_the_profile_says_when_mail_bounced(app, client, user_id):
    from datetime import datetime

    with app.app_context():
        user = db.session.get(User, user_id)
        user.email_verified_at = datetime(2026, 1, 1)
        user.email_bounced_at = datetime(2026, 11, 30, 12, 0)
        db.session.commit()
    page = client.get("/settings/profile").get_data(as_text=True)
    assert "was refused on Nov 30, 2026" in page
