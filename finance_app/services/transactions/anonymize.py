"""Anonymize old transactions: their descriptions, merchants and notes become category-only
text, amounts and dates stay — a ledger that can be shared or studied without naming anyone.

Confirmed with the member's password; covers the transactions the member can see (their scope),
older than the chosen date. It cannot be undone, so it changes nothing unless every check passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from finance_app.db import DbSession
from finance_app.models.imports import PendingDuplicate
from finance_app.models.ledger import Category, SplitLine, Transaction
from finance_app.models.user import User
from finance_app.security import passwords
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.identity import audit
from finance_app.services.identity.users import WrongPasswordError
from finance_app.services.ledger.version import bump_ledger_version
from finance_app.services.scope import Scope, in_scope

UNCATEGORIZED_TEXT = "Uncategorized"


class FutureCutoff(ValidationFailed):
    """Choose a date that is today or earlier: only past transactions can be anonymized."""


class ViewerCannotAnonymize(DomainError):
    """Your role in this household is viewer: you can read its transactions but not change them."""


class WrongAnonymizePassword(WrongPasswordError):
    """That password is not correct: nothing was changed."""


@dataclass(frozen=True)
class AnonymizeResult:
    transactions: int
    before: date


def count_anonymizable(session: DbSession, scope: Scope, before: date) -> int:
    """How many of the member's transactions are dated before `before`."""
    return int(session.scalar(
        select(func.count()).select_from(Transaction).where(
            *in_scope(Transaction, scope), Transaction.date < before)) or 0)


def anonymize_transactions(session: DbSession, scope: Scope, user: User, password: str,
                           before: date, today: date, audit_client: audit.ClientInfo | None = None
                           ) -> AnonymizeResult:
    """Replace the text of every transaction in `scope` dated before `before` with its
    category's name. Raises before changing anything when a check fails."""
    if not scope.can_edit:
        raise ViewerCannotAnonymize()
    if before > today:
        raise FutureCutoff()
    if not passwords.verify_password(user.password_hash, password):
        raise WrongAnonymizePassword()
    chosen = [*in_scope(Transaction, scope), Transaction.date < before]
    category_name = (
        select(Category.name).where(Category.id == Transaction.category_id).scalar_subquery()
    )
    replacement = func.coalesce(category_name, UNCATEGORIZED_TEXT)
    result = session.execute(
        update(Transaction).where(*chosen).values(
            raw_description=replacement, merchant=replacement, notes="")
        .execution_options(synchronize_session=False))
    ids = select(Transaction.id).where(*chosen).scalar_subquery()
    session.execute(update(SplitLine).where(SplitLine.transaction_id.in_(ids)).values(note="")
                    .execution_options(synchronize_session=False))
    # Rows of a file still waiting for a duplicate decision carry the bank's text too.
    session.execute(
        update(PendingDuplicate).where(
            PendingDuplicate.household_id == scope.household_id,
            PendingDuplicate.account_id.not_in(scope.hidden_account_ids or {-1}),
            PendingDuplicate.date < before)
        .values(description=UNCATEGORIZED_TEXT).execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    bump_ledger_version(session, scope.household_id)
    audit.record(session, user.id, audit.DATA_ANONYMIZED, audit_client,
                 before=before.isoformat(), transactions=count)
    session.expire_all()
    return AnonymizeResult(transactions=count, before=before)
