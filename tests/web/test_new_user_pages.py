"""A brand-new user (default categories, no accounts, no transactions) can open every page."""

from __future__ import annotations

import pytest


def test_dashboard_widgets_of_a_new_user_render(client, user_id):
    for widget in ("summary", "budgets", "cashflow", "categories", "merchants", "balances"):
        response = client.get(f"/dashboard/?widget={widget}", headers={"HX-Request": "true"})
        assert response.status_code == 200, widget


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_every_page_opens_for_a_new_user(make_app, auth, tmp_path, backend, app):
    if backend == "sqlite":
        from flask_migrate import upgrade

        app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'new.sqlite3'}")
        with app.app_context():
            upgrade(revision="heads")
    client = app.test_client()
    type(auth)(app, client).create("newbie@example.com")
    assert type(auth)(app, client).login("newbie@example.com").status_code == 303
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods:
            continue
        if rule.endpoint.startswith(("auth.", "static")) or rule.endpoint == "main.healthz":
            continue
        response = client.get(rule.rule, follow_redirects=True)
        response.get_data()  # consume streamed downloads before the next request
        response.close()
        # Site administration is for site admins only: a new user is refused, not failed.
        expected = 403 if rule.endpoint.startswith("admin.") else 200
        if response.status_code != expected:
            failures.append(f"{rule.rule} -> {response.status_code}")
    assert failures == []
