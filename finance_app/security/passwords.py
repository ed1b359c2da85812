"""Password hashing with argon2id and a strength check that rejects common passwords."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """A real hash to verify against when the email is unknown, so both paths cost the same time.

    Made on the first verification (not at import: a hash costs a quarter second at start-up).
    """
    return _hasher.hash("an unused password for timing parity")


class WeakPasswordError(ValueError):
    """That password is too weak."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    dummy = _dummy_hash()  # on both paths, so the first known and unknown email cost the same
    try:
        return _hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_strength(password: str, user_inputs: list[str] | None = None) -> None:
    """Raise WeakPasswordError with a helpful reason when the password is not good enough."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(f"Use at most {MAX_LENGTH} characters.")
    from zxcvbn import zxcvbn  # builds its dictionaries on import: loaded when first needed

    result = zxcvbn(password[:100], user_inputs=user_inputs or [])
    if result["score"] < 3:
        feedback = result.get("feedback") or {}
        hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or [])
        message = "This password is too easy to guess."
        raise WeakPasswordError(f"{message} {hint}".strip())
