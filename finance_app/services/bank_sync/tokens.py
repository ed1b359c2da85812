"""Access tokens at rest: encrypted with the first of TOKEN_ENCRYPTION_KEY's keys, readable with
any of them; `rotate_encrypted_secrets` re-encrypts every stored secret with the first."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.bank_sync import PlaidItem
from finance_app.models.user import User
from finance_app.security import crypto


def seal_access_token(access_token: str, keys: str) -> str:
    return crypto.encrypt(access_token, keys)


def open_access_token(item: PlaidItem, keys: str) -> str:
    return crypto.decrypt(item.access_token_encrypted, keys)


def rotate_encrypted_secrets(session: DbSession, keys: str) -> dict[str, int]:
    """Re-encrypt every Plaid access token and TOTP secret with the first key (the caller
    commits); afterwards the old keys can be dropped from TOKEN_ENCRYPTION_KEY."""
    items = 0
    for item in session.scalars(select(PlaidItem).order_by(PlaidItem.id)):
        item.access_token_encrypted = crypto.rotate(item.access_token_encrypted, keys)
        items += 1
    secrets = 0
    for user in session.scalars(select(User).where(User.totp_secret_encrypted.is_not(None))):
        assert user.totp_secret_encrypted is not None
        user.totp_secret_encrypted = crypto.rotate(user.totp_secret_encrypted, keys)
        secrets += 1
    return {"plaid_tokens": items, "totp_secrets": secrets}
