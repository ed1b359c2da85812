"""Outbound webhooks: a member's endpoints (HTTPS URL, events, a secret shown once), deliveries
signed with HMAC-SHA256 over "timestamp.body", attempted with backoff and logged with their
response code, and resent on request. URLs resolving to loopback, private or link-local
addresses are refused unless the caller allows them (outside production)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.recurring import (
    DELIVERED,
    FAILED,
    PENDING,
    RETRYING,
    WEBHOOK_EVENTS,
    WebhookDelivery,
    WebhookEndpoint,
)
from finance_app.security.crypto import decrypt, encrypt
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.scope import Scope

SIGNATURE_HEADER = "X-Ledgerly-Signature"
TIMEOUT_SECONDS = 10
# Seconds to wait before each retry; after the last, the delivery is failed (resend by hand).
BACKOFF = (30, 120, 600, 3600)
MAX_ENDPOINTS = 10
Resolver = Callable[[str], list[str]]


class WebhookRefused(DomainError):
    """Enter an https:// URL of a public server and pick at least one event."""


def resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


def check_url(url: str, *, allow_private: bool, resolver: Resolver = resolve) -> str:
    """The URL if it may receive deliveries: HTTPS, and (unless allowed) every address it
    resolves to public — no loopback, private, link-local or reserved address."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise WebhookRefused("The URL must start with https://.")
    if not parts.hostname:
        raise WebhookRefused()
    if not allow_private:
        try:
            addresses = resolver(parts.hostname)
        except OSError as exc:
            raise WebhookRefused("That host name does not resolve.") from exc
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                    or ip.is_multicast or ip.is_unspecified):
                raise WebhookRefused("That URL points to a private or local address; use a "
                                     "public HTTPS server.")
    return url.strip()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: `t=<timestamp>,v1=<hex HMAC-SHA256 of "t.body">`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def _member(scope: Scope) -> int:
    if scope.member_id is None:
        raise NotFound()
    return scope.member_id


def list_endpoints(session: DbSession, scope: Scope) -> list[WebhookEndpoint]:
    """The member's own endpoints in this household."""
    return list(session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.household_id == scope.household_id,
        WebhookEndpoint.user_id == _member(scope)).order_by(WebhookEndpoint.id)))


def get_endpoint(session: DbSession, scope: Scope, endpoint_id: object) -> WebhookEndpoint:
    try:
        key = int(str(endpoint_id))
    except ValueError as exc:
        raise NotFound() from exc
    found = next((e for e in list_endpoints(session, scope) if e.id == key), None)
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str  # shown once


def add_endpoint(session: DbSession, scope: Scope, url: str, events: list[str], keys: str,
                 *, allow_private: bool, resolver: Resolver = resolve) -> NewEndpoint:
    chosen = [e for e in WEBHOOK_EVENTS if e in events]
    if not chosen or len(list_endpoints(session, scope)) >= MAX_ENDPOINTS:
        raise WebhookRefused()
    checked = check_url(url, allow_private=allow_private, resolver=resolver)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint(user_id=_member(scope), household_id=scope.household_id,
                               url=checked, events=chosen,
                               secret_encrypted=encrypt(secret, keys))
    session.add(endpoint)
    session.flush()
    return NewEndpoint(endpoint, secret)


def delete_endpoint(session: DbSession, scope: Scope, endpoint_id: object) -> None:
    session.delete(get_endpoint(session, scope, endpoint_id))
    session.flush()


def queue_event(session: DbSession, household_id: int, user_id: int, event: str,
                payload: dict) -> list[WebhookDelivery]:
    """A delivery per endpoint of the member that wants `event` (flushed, not yet sent)."""
    endpoints = session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.household_id == household_id, WebhookEndpoint.user_id == user_id))
    deliveries = []
    for endpoint in endpoints:
        if event in endpoint.events:
            delivery = WebhookDelivery(household_id=household_id, endpoint_id=endpoint.id,
                                       event=event, payload=payload, status=PENDING,
                                       attempts=0, last_error="")
            session.add(delivery)
            deliveries.append(delivery)
    session.flush()
    return deliveries


def list_deliveries(session: DbSession, scope: Scope, endpoint_id: object,
                    limit: int = 100) -> list[WebhookDelivery]:
    endpoint = get_endpoint(session, scope, endpoint_id)
    return list(session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)))


def get_delivery(session: DbSession, scope: Scope, delivery_id: object) -> WebhookDelivery:
    try:
        key = int(str(delivery_id))
    except ValueError as exc:
        raise NotFound() from exc
    delivery = session.get(WebhookDelivery, key)
    if delivery is None:
        raise NotFound()
    get_endpoint(session, scope, delivery.endpoint_id)  # the member's own, else NotFound
    return delivery


def resend(session: DbSession, scope: Scope, delivery_id: object) -> WebhookDelivery:
    """"Resend": the same event again as a new delivery."""
    old = get_delivery(session, scope, delivery_id)
    again = WebhookDelivery(household_id=old.household_id, endpoint_id=old.endpoint_id,
                            event=old.event, payload=old.payload, status=PENDING, attempts=0,
                            last_error="")
    session.add(again)
    session.flush()
    return again


def attempt(session: DbSession, delivery_id: int, keys: str, *, allow_private: bool,
            now: datetime | None = None, resolver: Resolver = resolve) -> WebhookDelivery | None:
    """POST the delivery once and record the outcome: delivered on a 2xx, else retrying with
    the next backoff (next_attempt_at), or failed after the last."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status == DELIVERED:
        return delivery
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None:
        return None
    now = now or utcnow()
    delivery.attempts += 1
    body = json.dumps({"id": delivery.id, "event": delivery.event,
                       "created_at": delivery.created_at.isoformat() + "Z",
                       "data": delivery.payload}, sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    try:
        check_url(endpoint.url, allow_private=allow_private, resolver=resolver)
        request = urllib.request.Request(endpoint.url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "Ledgerly-Webhooks/1",
            SIGNATURE_HEADER: sign(decrypt(endpoint.secret_encrypted, keys), timestamp, body)})
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            delivery.response_code = response.status
        delivery.status, delivery.delivered_at, delivery.last_error = DELIVERED, now, ""
        delivery.next_attempt_at = None
    except urllib.error.HTTPError as exc:
        delivery.response_code = exc.code
        _retry_later(delivery, now, f"HTTP {exc.code}")
    except (OSError, DomainError) as exc:
        delivery.response_code = None
        _retry_later(delivery, now, str(exc)[:500] or type(exc).__name__)
    session.flush()
    return delivery


def _retry_later(delivery: WebhookDelivery, now: datetime, error: str) -> None:
    delivery.last_error = error
    if delivery.attempts > len(BACKOFF):
        delivery.status, delivery.next_attempt_at = FAILED, None
    else:
        delivery.status = RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])


def list_due_retries(session: DbSession, now: datetime) -> list[int]:
    return list(session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.status == RETRYING, WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.id)))


def list_pending(session: DbSession, household_id: int) -> list[int]:
    """Deliveries queued but never attempted (the job sends them right after committing)."""
    return list(session.scalars(select(WebhookDelivery.id).where(
        WebhookDelivery.household_id == household_id, WebhookDelivery.status == PENDING)
        .order_by(WebhookDelivery.id)))
