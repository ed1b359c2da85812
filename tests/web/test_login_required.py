"""Every page except the public ones sends an anonymous visitor to the sign-in page."""

from __future__ import annotations

import pytest

from finance_app import create_app

# The invitation page (GET /join/<token>) shows an invitation to whoever holds its link, signed in
# or not, so an invited person can sign up first; accepting it (POST) needs a sign-in.
PUBLIC_ENDPOINTS = {"static", "main.home", "main.healthz", "invitations.show"}
# The weekly email's unsubscribe link works without a sign-in: its signed token is the key.
PUBLIC_PREFIXES = ("auth.", "weekly_email.",
                   # Plaid's webhook: no session; its Plaid-Verification JWT proves the sender.
                   "plaid_webhook.",
                   # The bills calendar feed: calendar apps read it; its URL's token is the key.
                   "bills_feed.")


def _protected_rules():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x",
                      "TOKEN_ENCRYPTION_KEY": "y" * 43 + "="})
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith(PUBLIC_PREFIXES):
            continue
        if rule.endpoint.startswith("_test"):
            continue
        values = {arg: 1 for arg in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append(pytest.param(method, rule.rule, values, id=f"{method} {rule.rule}"))
    with app.app_context():
        from finance_app.extensions import db

        db.engine.dispose()
    return rules


@pytest.mark.parametrize(("method", "rule", "values"), _protected_rules())
def test_anonymous_visitors_are_sent_to_sign_in(app, client, method, rule, values):
    from flask import url_for

    with app.test_request_context():
        endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule)
        path = url_for(endpoint, **values)
    token = client.csrf_token()
    response = client.open(path, method=method, data={"csrf_token": token})
    assert response.status_code in (302, 303), (path, response.status_code)
    assert "/auth/login" in response.headers["Location"]
