"""Encryption at rest (Plaid access tokens, TOTP secrets) with Fernet; keys are rotatable."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class DecryptionError(ValueError):
    """A stored secret could not be decrypted with the configured keys."""


def _fernet(keys: str) -> MultiFernet:
    # TOKEN_ENCRYPTION_KEY may hold several comma-separated keys: the first encrypts, all decrypt,
    # which lets an operator rotate keys without a flag day.
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(plaintext: str, keys: str) -> str:
    return _fernet(keys).encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str, keys: str) -> str:
    try:
        return _fernet(keys).decrypt(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(DecryptionError.__doc__) from exc


def rotate(ciphertext: str, keys: str) -> str:
    """The same secret encrypted with the first key (for key rotation)."""
    try:
        return _fernet(keys).rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError(DecryptionError.__doc__) from exc
