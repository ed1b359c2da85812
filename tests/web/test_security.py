"""Security everywhere: CSRF, headers, cookies, rate limits and the styled error pages."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


def test_a_form_post_without_csrf_token_is_refused_with_400(auth, client):
    auth.create()
    response = client.post("/auth/login", data={"email": "alice@example.com",
                                                "password": PASSWORD})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert client.get("/settings/profile").status_code == 302


def test_htmx_requests_carry_the_csrf_token_as_a_header(client, user_id):
    token = client.csrf_token("/settings/profile")
    data = {"name": "Al", "base_currency": "USD", "timezone": "UTC", "locale": "en_US"}
    without = client.post("/settings/profile", data=data, headers={"HX-Request": "true"})
    assert without.status_code == 400
    with_header = client.post("/settings/profile", data=data,
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert with_header.status_code == 204 and with_header.headers["HX-Redirect"]


def test_security_headers_and_cookie_flags(auth, client):
    auth.create()
    response = auth.login()
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # development
    cookie = client.get_cookie("ledgerly_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_production_sends_hsts_and_secure_cookies(make_app):
    app = make_app(ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html
    assert 'src="/static/vendor/htmx/htmx.min.js"' in html


@pytest.mark.parametrize("code", [404, 405])
def test_error_pages_are_styled(client, code):
    response = client.get("/no/such/page") if code == 404 else client.get("/auth/logout")
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert 'class="error-page' in html and "Ledgerly" in html


def test_upload_over_the_limit_gets_a_friendly_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = client.post("/auth/login", data={"f": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "1 MB upload limit" in response.get_data(as_text=True)


def test_unexpected_errors_render_the_500_page(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    app.testing = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "kaboom" not in response.get_data(as_text=True)


def test_forbidden_page(app, client):
    from flask import abort

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    response = client.get("/forbidden")
    assert response.status_code == 403 and "access to this page" in response.get_data(
        as_text=True)
