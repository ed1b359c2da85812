"""TOTP two-factor codes (RFC 6238) with replay protection, and one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno

ISSUER = "Ledgerly"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no external image requests, CSP-friendly)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111827", light="#ffffff")


def matching_step(secret: str, code: str, now: float | None = None, window: int = 1) -> int | None:
    """The time step a code belongs to (allowing one step of clock drift), or None if wrong."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now) // totp.interval
    for step in range(current - window, current + window + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str, key: str) -> str:
    """Recovery codes carry ~49 bits of randomness, so a keyed SHA-256 is a sufficient hash."""
    normalized = code.strip().lower().replace("-", "").replace(" ", "")
    return hmac.new(key.encode(), normalized.encode(), hashlib.sha256).hexdigest()
