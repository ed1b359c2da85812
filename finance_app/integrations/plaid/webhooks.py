"""Verifying a webhook's `Plaid-Verification` header as Plaid documents it.

The header is a JWT signed with ES256 by a key Plaid serves at /webhook_verification_key/get,
named by the JWT's `kid` (keys are cached by kid: they rotate rarely and never change). Its
claims carry `iat` (no older than 5 minutes) and `request_body_sha256`, the hex SHA-256 of the
exact body received.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from typing import Any

MAX_AGE_SECONDS = 5 * 60
# A sender's clock a little ahead of ours is not a replay.
CLOCK_SKEW_SECONDS = 30
ALGORITHM = "ES256"

KeyFetcher = Callable[[str], dict[str, Any]]
_keys: dict[str, dict[str, Any]] = {}
_keys_lock = threading.Lock()


class WebhookRejected(ValueError):
    """The webhook's Plaid-Verification header is missing or does not verify."""


def forget_cached_keys() -> None:
    with _keys_lock:
        _keys.clear()


def _key_for(kid: str, fetch_key: KeyFetcher) -> dict[str, Any]:
    with _keys_lock:
        cached = _keys.get(kid)
    if cached is not None:
        return cached
    try:
        key = fetch_key(kid)
    except Exception as exc:  # an unknown kid is answered with an error by Plaid
        raise WebhookRejected(f"no verification key {kid!r}") from exc
    with _keys_lock:
        _keys[kid] = key
    return key


def verify_webhook(body: bytes, token: str | None, fetch_key: KeyFetcher,
                   now: float | None = None) -> dict[str, Any]:
    """The verified claims of `token` for `body`, or WebhookRejected saying why not."""
    import jwt
    from jwt.algorithms import ECAlgorithm

    if not token:
        raise WebhookRejected("missing Plaid-Verification header")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise WebhookRejected("malformed Plaid-Verification header") from exc
    if header.get("alg") != ALGORITHM:
        raise WebhookRejected("Plaid-Verification must be signed with ES256")
    kid = str(header.get("kid") or "")
    if not kid:
        raise WebhookRejected("Plaid-Verification names no key")
    key = _key_for(kid, fetch_key)
    if key.get("expired_at"):
        raise WebhookRejected("the verification key has expired")
    try:
        public_key = ECAlgorithm.from_jwk(json.dumps(
            {k: v for k, v in key.items() if k in ("kty", "crv", "x", "y", "kid", "alg", "use")}))
        claims = jwt.decode(token, public_key, algorithms=[ALGORITHM],  # type: ignore[arg-type]
                            options={"require": ["iat"], "verify_iat": False})
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise WebhookRejected("the signature does not verify") from exc
    issued = claims.get("iat")
    current = time.time() if now is None else now
    age = current - issued if isinstance(issued, int | float) else None
    if age is None or not -CLOCK_SKEW_SECONDS <= age <= MAX_AGE_SECONDS:
        raise WebhookRejected("the webhook is older than 5 minutes")
    expected = hashlib.sha256(body).hexdigest()
    if not hmac.compare_digest(str(claims.get("request_body_sha256", "")), expected):
        raise WebhookRejected("the body does not match its signature")
    return claims
