"""GET /healthz reports the database and Redis."""

from __future__ import annotations

import pytest


def test_healthz_without_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "disabled"}


class TestWithRedis:
    @pytest.fixture()
    def app_config(self, app_config, redis_url):
        return {**app_config, "REDIS_URL": redis_url}

    def test_healthz_with_redis(self, client):
        assert client.get("/healthz").get_json()["redis"] == "ok"


def test_healthz_reports_an_unreachable_redis_as_degraded_not_down(make_app):
    # Pages still work without Redis (rate limits in memory, no job can start): the instance
    # stays in rotation, and the report says what is degraded.
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0", RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "degraded", "database": "ok", "redis": "unreachable",
        "redis_error": "ConnectionError", "jobs": "cannot start", "rate_limits": "in memory",
    }


def test_healthz_is_503_when_the_database_fails(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
