""""Is this the account you already have?" when a file's rows are already in another account.

The same statement downloaded twice (as CSV and as OFX, or again next month with overlap) used to
land in a second account with identical balances. When the draft's account is still empty, the
file's rows are sorted against each other account with the import's own duplicate rules (same
fingerprint or bank id, or same amount, a close date and a similar description); the account
holding most of them, if it holds at least half, is proposed. Nothing is moved without a click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, func, select

from finance_app.db import DbSession
from finance_app.importers import ParsedRow
from finance_app.models.ledger import Account, ImportBatch, Transaction
from finance_app.services.errors import ValidationFailed
from finance_app.services.imports.drafts import DRAFT, ImportPreview, get_draft
from finance_app.services.imports.matching import DUPLICATE, REVIEW, classify_rows
from finance_app.services.scope import Scope, owned, scoped

# Enough rows to tell, few enough that the preview stays quick on a 10-year export.
SAMPLE_ROWS = 400
MIN_MATCHED_ROWS = 3
MIN_SHARE = 0.5
# An account the wizard created for this draft: made moments before the draft itself.
CREATED_WITH_DRAFT = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class AccountSuggestion:
    account_id: int
    account_name: str
    matched: int  # rows of the sample already in that account
    sampled: int

    @property
    def share(self) -> float:
        return self.matched / self.sampled if self.sampled else 0.0


def _sample(rows: list[ParsedRow]) -> list[ParsedRow]:
    if len(rows) <= SAMPLE_ROWS:
        return rows
    step = len(rows) / SAMPLE_ROWS
    return [rows[int(i * step)] for i in range(SAMPLE_ROWS)]


def _has_transactions(session: DbSession, account_id: int) -> bool:
    return bool(session.scalar(
        exists().where(Transaction.account_id == account_id).select()))


def suggest_existing_account(session: DbSession, scope: Scope, batch: ImportBatch,
                             preview: ImportPreview) -> AccountSuggestion | None:
    """The other account that already holds most of this file's rows, when the draft's account
    is empty; None when there is none, or the draft goes into an account with history."""
    if batch.account_id is None or _has_transactions(session, batch.account_id):
        return None
    rows = _sample(list(preview.result.rows))
    if not rows:
        return None
    candidates = session.execute(
        scoped(Account, scope).with_only_columns(Account.id, Account.name)
        .where(Account.id != batch.account_id, Account.is_archived.is_(False))
        .order_by(Account.name)).all()
    best: AccountSuggestion | None = None
    for account_id, name in candidates:
        decisions = classify_rows(session, account_id, rows)
        matched = sum(1 for d in decisions if d.kind in (DUPLICATE, REVIEW))
        if matched >= MIN_MATCHED_ROWS and matched >= MIN_SHARE * len(rows) and (
                best is None or matched > best.matched):
            best = AccountSuggestion(account_id, name, matched, len(rows))
    return best


def _created_for(session: DbSession, account: Account, batch: ImportBatch) -> bool:
    """True for an empty account the wizard made for this draft alone."""
    if _has_transactions(session, account.id):
        return False
    other_batches = session.scalar(select(func.count(ImportBatch.id)).where(
        ImportBatch.account_id == account.id, ImportBatch.id != batch.id))
    return not other_batches and abs(batch.created_at - account.created_at) <= CREATED_WITH_DRAFT


def move_draft_to_account(session: DbSession, scope: Scope, batch_id: int,
                          account_id: object) -> ImportBatch:
    """Point a draft at another of the household's accounts (a foreign id is a 404). The empty
    account the wizard created for the draft goes away; an account made by hand stays."""
    batch = get_draft(session, scope, batch_id)
    target = owned(session, Account, account_id, scope)
    if target.is_archived:
        raise ValidationFailed(f"{target.name} is archived: unarchive it to import into it.")
    previous = session.get(Account, batch.account_id) if batch.account_id else None
    batch.account_id = target.id
    session.flush()
    if previous is not None and previous.id != target.id and _created_for(session, previous,
                                                                          batch):
        session.delete(previous)
        session.flush()
    assert batch.status == DRAFT
    return batch
