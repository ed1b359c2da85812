"""Signed, expiring tokens for email links (verification, password reset)."""

from __future__ import annotations

import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"


class InvalidTokenError(ValueError):
    """This link is invalid or has been tampered with."""


class ExpiredTokenError(InvalidTokenError):
    """This link has expired. Ask for a new one."""


def make_token(secret_key: str, purpose: str, payload: dict[str, Any]) -> str:
    return URLSafeTimedSerializer(secret_key, salt=purpose).dumps(payload)


def read_token(secret_key: str, purpose: str, token: str, max_age: int) -> dict[str, Any]:
    serializer = URLSafeTimedSerializer(secret_key, salt=purpose)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ExpiredTokenError(ExpiredTokenError.__doc__) from exc
    except BadSignature as exc:
        raise InvalidTokenError(InvalidTokenError.__doc__) from exc
    if not isinstance(data, dict):
        raise InvalidTokenError(InvalidTokenError.__doc__)
    return data


def fingerprint(value: str) -> str:
    """A short digest tying a token to state that changes once it is used (e.g. the password)."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]
