"""Deleting a user, after re-checking who is asking: households they alone belong to go with them
(rows and files); shared households stay with the other members."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import Attachment
from finance_app.models.user import User
from finance_app.security import passwords
from finance_app.services.errors import DomainError
from finance_app.services.households.membership import hand_over_before_user_deletion
from finance_app.services.identity import two_factor
from finance_app.services.identity.audit import ClientInfo
from finance_app.services.transactions import attachments

log = logging.getLogger(__name__)


class ConfirmationMismatchError(DomainError):
    """Type DELETE to confirm."""


def delete_user(
    session: DbSession,
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
    """Delete the user, the households only they belong to (rows by cascade, receipts and model
    files), and hand shared households over to the remaining members."""
    if confirmation.strip() != "DELETE":
        raise ConfirmationMismatchError()
    if not passwords.verify_password(user.password_hash, password):
        raise two_factor.WrongPasswordError()
    if user.has_two_factor:
        two_factor.verify_second_factor(session, user, code, encryption_key, hmac_key, client)
    user_id = user.id
    from finance_app.services.households.membership import list_memberships

    alone = [m.household_id for m in list_memberships(session, user_id)
             if len(m.household.memberships) == 1]
    receipts = list(session.scalars(select(Attachment).where(Attachment.household_id.in_(alone))))
    attachments.remove_files_after_commit(session, receipts, attachment_dir)
    hand_over_before_user_deletion(session, user)
    session.delete(user)
    session.flush()
    # A household's categorizer models live in a folder named by its id.
    for household_id in alone:
        folder = Path(model_dir) / "users" / str(household_id)
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
    # The audit rows go with the user; the operator's log keeps the fact.
    log.warning("account %s deleted at the user's request from %s", user_id,
                client.ip_address if client else "?")
