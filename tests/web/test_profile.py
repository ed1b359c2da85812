"""Profile: name, currency, time zone, locale and notification preferences."""

from __future__ import annotations

from finance_app.extensions import db
from finance_app.models.user import User


def test_profile_saves_preferences(app, client, user_id):
    response = client.post_form("/settings/profile", {
        "name": "Alice Liddell", "base_currency": "EUR", "timezone": "Europe/Paris",
        "locale": "fr_FR", "notify_budget_email": "y",
    }, page="/settings/profile")
    assert response.status_code == 303
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.base_currency, user.timezone, user.locale) == (
            "Alice Liddell", "EUR", "Europe/Paris", "fr_FR")
        assert user.notify_budget_email and not user.notify_weekly_email


def test_profile_rejects_unknown_values_and_changes_nothing(app, client, user_id):
    response = client.post_form("/settings/profile", {
        "name": "X", "base_currency": "XXX", "timezone": "Mars/Olympus", "locale": "en_US",
    }, page="/settings/profile")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).base_currency == "USD"


def test_profile_htmx_post_returns_the_form_fragment(client, user_id):
    response = client.post(
        "/settings/profile", data={"name": "Al", "base_currency": "XXX", "timezone": "UTC",
                                   "locale": "en_US"},
        headers={"HX-Request": "true", "X-CSRFToken": client.csrf_token("/settings/profile")},
    )
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<form id="profile-form"') and "<html" not in body
