"""Outbound webhooks against a real receiver on 127.0.0.1: the signature verifies, a failure is
retried with backoff then failed, resend makes a new delivery, private URLs are refused when
not allowed, and an alert queues one delivery however often the job runs."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.recurring import (
    BILL_LATE,
    DELIVERED,
    FAILED,
    RETRYING,
    WebhookDelivery,
)
from finance_app.services import webhooks
from finance_app.services.errors import NotFound
from finance_app.tasks.recurring import detect_recurring_job
from tests.factories import make_user, scope_of
from tests.services.recurring.conftest import netflix_household

KEYS = "y" * 43 + "="


class Receiver:
    """An HTTP server that records what it gets and answers the status codes it is told."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver():
    server = Receiver()
    yield server
    server.close()


def _verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["X-Ledgerly-Signature"].split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_a_delivery_is_signed_and_logged(ctx, receiver):
    user = make_user()
    scope = scope_of(user)
    added = webhooks.add_endpoint(db.session, scope, receiver.url, ["anomaly"], KEYS,
                                  allow_private=True)
    assert added.secret.startswith("whsec_")
    [delivery] = webhooks.queue_event(db.session, scope.household_id, user.id, "anomaly",
                                      {"title": "Something unusual"})
    webhooks.attempt(db.session, delivery.id, KEYS, allow_private=True)
    assert (delivery.status, delivery.response_code, delivery.attempts) == (DELIVERED, 200, 1)
    [got] = receiver.requests
    assert _verify(added.secret, got["headers"], got["body"])
    assert not _verify("whsec_wrong", got["headers"], got["body"])
    assert json.loads(got["body"])["event"] == "anomaly"
    assert json.loads(got["body"])["data"] == {"title": "Something unusual"}


def test_failures_are_retried_with_backoff_then_failed_and_resend_starts_again(ctx, receiver):
    user = make_user()
    scope = scope_of(user)
    webhooks.add_endpoint(db.session, scope, receiver.url, ["bill_late"], KEYS,
                          allow_private=True)
    [delivery] = webhooks.queue_event(db.session, scope.household_id, user.id, "bill_late", {})
    receiver.statuses = [500] * 5
    now = utcnow()
    webhooks.attempt(db.session, delivery.id, KEYS, allow_private=True, now=now)
    assert (delivery.status, delivery.response_code) == (RETRYING, 500)
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert webhooks.list_due_retries(db.session, now) == []
    assert webhooks.list_due_retries(db.session, now + timedelta(seconds=31)) == [delivery.id]
    for _ in range(4):
        webhooks.attempt(db.session, delivery.id, KEYS, allow_private=True, now=now)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (FAILED, 5, "HTTP 500")
    again = webhooks.resend(db.session, scope, delivery.id)
    webhooks.attempt(db.session, again.id, KEYS, allow_private=True)
    assert again.status == DELIVERED and len(receiver.requests) == 6


@pytest.mark.parametrize(("url", "addresses"), [
    ("https://hooks.example.com/x", ["127.0.0.1"]),
    ("https://hooks.example.com/x", ["10.1.2.3"]),
    ("https://hooks.example.com/x", ["169.254.169.254"]),
    ("https://hooks.example.com/x", ["93.184.216.34", "::1"]),
    ("http://hooks.example.com/x", ["93.184.216.34"]),
])
def test_private_loopback_link_local_and_plain_http_urls_are_refused(ctx, url, addresses):
    scope = scope_of(make_user())
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.add_endpoint(db.session, scope, url, ["anomaly"], KEYS, allow_private=False,
                              resolver=lambda host: addresses)
    assert webhooks.list_endpoints(db.session, scope) == []
    added = webhooks.add_endpoint(db.session, scope, "https://hooks.example.com/x",
                                  ["anomaly"], KEYS, allow_private=False,
                                  resolver=lambda host: ["93.184.216.34"])
    assert added.endpoint.url == "https://hooks.example.com/x"


def test_another_members_endpoint_is_not_found(ctx, receiver):
    owner, stranger = make_user(), make_user("eve@example.com")
    added = webhooks.add_endpoint(db.session, scope_of(owner), receiver.url, ["anomaly"], KEYS,
                                  allow_private=True)
    with pytest.raises(NotFound):
        webhooks.get_endpoint(db.session, scope_of(stranger), added.endpoint.id)
    [delivery] = webhooks.queue_event(db.session, scope_of(owner).household_id, owner.id,
                                      "anomaly", {})
    with pytest.raises(NotFound):
        webhooks.resend(db.session, scope_of(stranger), delivery.id)


def test_an_alert_is_delivered_once_even_when_the_job_runs_twice(app, receiver):
    with app.app_context():
        user = make_user()
        netflix_household(user, months=5)
        scope = scope_of(user)
        webhooks.add_endpoint(db.session, scope, receiver.url, [BILL_LATE], KEYS,
                              allow_private=True)
        db.session.commit()
        household = scope.household_id
    app.config["TOKEN_ENCRYPTION_KEY"] = KEYS
    with app.app_context():
        first = detect_recurring_job(household, "2025-06-10")
        second = detect_recurring_job(household, "2025-06-10")
        assert (first["webhooks"], second["webhooks"]) == (2, 0)
        statuses = [d.status for d in db.session.query(WebhookDelivery)]
        assert statuses == [DELIVERED, DELIVERED]
    assert len(receiver.requests) == 2
    assert {json.loads(r["body"])["event"] for r in receiver.requests} == {BILL_LATE}
