"""Deleting a user and everything they own, after re-checking who is asking."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sqlalchemy.orm import Session

from finance_app.models.ledger import Attachment
from finance_app.models.user import User
from finance_app.security import passwords
from finance_app.services import attachments, two_factor
from finance_app.services.audit import ClientInfo
from finance_app.services.errors import DomainError
from finance_app.services.scope import scoped

log = logging.getLogger(__name__)


class ConfirmationMismatchError(DomainError):
    """Type DELETE to confirm."""


def delete_account(
    session: Session,
    user: User,
    password: str,
    confirmation: str,
    code: str,
    *,
    encryption_key: str,
    hmac_key: str,
    attachment_dir: str,
    model_dir: str,
    client: ClientInfo | None = None,
) -> None:
    """Delete the user, their rows (by cascade) and their files (receipts, models)."""
    if confirmation.strip() != "DELETE":
        raise ConfirmationMismatchError()
    if not passwords.verify_password(user.password_hash, password):
        raise two_factor.WrongPasswordError()
    if user.has_two_factor:
        two_factor.verify_second_factor(session, user, code, encryption_key, hmac_key, client)
    user_id = user.id
    receipts = list(session.scalars(scoped(Attachment, user_id)))
    attachments.remove_files_after_commit(session, receipts, attachment_dir)
    session.delete(user)
    session.flush()
    # The user's own categorizer models live in a folder named by their id.
    user_models = Path(model_dir) / "users" / str(user_id)
    if user_models.is_dir():
        shutil.rmtree(user_models, ignore_errors=True)
    # The audit rows go with the user; the operator's log keeps the fact.
    log.warning("account %s deleted at the user's request from %s", user_id,
                client.ip_address if client else "?")
