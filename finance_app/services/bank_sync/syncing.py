"""One sync of one Item: fetch every /transactions/sync page, keep the raw pages, then apply
added / modified / removed and the balances in one transaction and save the cursor last.

The lock is the run itself: a run is claimed (pending -> syncing) only while no other run of the
Item is syncing, under a row lock on the Item, so one Item never syncs twice at once; a run
left syncing by a dead worker is marked stale after an hour, which frees the Item again.
A failure anywhere before the final commit leaves the cursor where it was, so a rerun fetches
the same changes again: nothing is lost and, since every row is keyed by Plaid's id, nothing is
doubled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, select, update

from finance_app.db import DbSession, utcnow
from finance_app.importers import ParsedRow
from finance_app.integrations.plaid import PlaidClient, PlaidError
from finance_app.models.bank_sync import (
    ITEM_ERROR,
    ITEM_GOOD,
    ITEM_PENDING_DISCONNECT,
    RUN_COMPLETED,
    RUN_FAILED,
    RUN_PENDING,
    RUN_STALE,
    RUN_SYNCING,
    PlaidItem,
    SyncPage,
    SyncRun,
)
from finance_app.models.ledger import SOURCE_PLAID, Account, Transaction
from finance_app.services.bank_sync.items import (
    _store_accounts,
    create_account_for,
    mark_needs_reauth,
    notify_members,
    set_item_state,
)
from finance_app.services.bank_sync.tokens import open_access_token
from finance_app.services.categorization import NewTransaction, decide_new
from finance_app.services.categorization.writing import store_review_and_tags
from finance_app.services.imports.matching import DUPLICATE, REVIEW, classify_rows
from finance_app.services.imports.writing import insert_rows
from finance_app.services.ledger.version import bump_ledger_version
from finance_app.services.scope import household_scope

STALE_AFTER = timedelta(hours=1)
MAX_RESTARTS = 3  # TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION
MAX_RETRIES = 3  # rate limits and 5xx, per request
_COLUMNS = (
    "account_id", "date", "amount", "raw_description", "merchant", "provider_category",
    "is_pending", "external_id", "category_id", "category_source", "category_confidence",
)  # fmt: skip

Progress = Callable[[int, str], None]


def _no_progress(percent: int, message: str) -> None:
    return None


@dataclass
class SyncOutcome:
    run_id: int
    status: str
    added: int = 0
    modified: int = 0
    removed: int = 0
    error_code: str = ""
    message: str = ""
    # Members who were told the Item needs attention (for an opt-in email).
    notified_user_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "status": self.status, "added": self.added,
                "modified": self.modified, "removed": self.removed,
                "error_code": self.error_code, "message": self.message,
                "notified_user_ids": self.notified_user_ids}


@dataclass(frozen=True)
class SyncOptions:
    """Waits between retries: base * 2**n seconds (tests set 0)."""

    retry_base_seconds: float = 2.0
    page_size: int = 500


# ---------------------------------------------------------------- runs


def create_run(session: DbSession, item: PlaidItem, trigger: str) -> SyncRun:
    run = SyncRun(household_id=item.household_id, item_id=item.id, status=RUN_PENDING,
                  trigger=trigger[:12])
    session.add(run)
    session.flush()
    return run


def active_run(session: DbSession, item_id: int) -> SyncRun | None:
    return session.scalar(select(SyncRun).where(
        SyncRun.item_id == item_id, SyncRun.status.in_((RUN_PENDING, RUN_SYNCING)))
        .order_by(SyncRun.id.desc()).limit(1))


def _claim(session: DbSession, run: SyncRun) -> bool:
    """pending -> syncing unless another run of the Item is syncing (then this one fails)."""
    session.scalar(select(PlaidItem.id).where(PlaidItem.id == run.item_id).with_for_update())
    other = session.scalar(select(SyncRun.id).where(
        SyncRun.item_id == run.item_id, SyncRun.status == RUN_SYNCING, SyncRun.id != run.id))
    if other is not None:
        run.status, run.ended_at = RUN_FAILED, utcnow()
        run.error_code, run.error_message = "ALREADY_SYNCING", "Another sync of this bank " \
            "was already running; its changes arrive with it."
        session.commit()
        return False
    run.status, run.started_at = RUN_SYNCING, utcnow()
    session.commit()
    return True


def mark_stale_runs(session: DbSession, now: Any = None) -> int:
    """Runs syncing (or pending) for more than an hour are stale: their worker is gone."""
    cutoff = (now or utcnow()) - STALE_AFTER
    result = session.execute(
        update(SyncRun).where(SyncRun.status.in_((RUN_PENDING, RUN_SYNCING)),
                              SyncRun.created_at < cutoff)
        .values(status=RUN_STALE, ended_at=utcnow(),
                error_message="The sync stopped before it finished; it will run again."))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def fail_run(session: DbSession, run_id: int, message: str) -> None:
    """What a dead job leaves behind: the run fails (the cursor was never moved)."""
    run = session.get(SyncRun, run_id)
    if run is not None and run.status in (RUN_PENDING, RUN_SYNCING):
        run.status, run.ended_at, run.error_message = RUN_FAILED, utcnow(), message[:500]


# ---------------------------------------------------------------- fetching


def _with_retries(call: Callable[[], dict[str, Any]], run: SyncRun,
                  options: SyncOptions) -> dict[str, Any]:
    for attempt in range(MAX_RETRIES + 1):
        try:
            return call()
        except PlaidError as exc:
            if not exc.is_retryable or attempt == MAX_RETRIES:
                raise
            run.attempt += 1
            time.sleep(options.retry_base_seconds * 2**attempt)
    raise AssertionError("unreachable")


def _fetch_pages(session: DbSession, client: PlaidClient, run: SyncRun, access_token: str,
                 cursor: str | None, options: SyncOptions,
                 progress: Progress) -> tuple[list[dict[str, Any]], str | None]:
    """Every page after `cursor`, each kept raw (committed) as it comes; restarts from the
    saved cursor when Plaid says the data changed while paginating."""
    for _restart in range(MAX_RESTARTS + 1):
        pages: list[dict[str, Any]] = []
        next_cursor = cursor
        try:
            while True:
                page = _with_retries(lambda c=next_cursor: client.sync_transactions(  # type: ignore[misc]
                    access_token, c, options.page_size), run, options)
                run.pages += 1
                session.add(SyncPage(household_id=run.household_id, run_id=run.id,
                                     number=run.pages, cursor=next_cursor,
                                     payload=_jsonable(page)))
                session.commit()
                pages.append(page)
                next_cursor = page.get("next_cursor") or next_cursor
                progress(min(60, 5 + 5 * len(pages)), f"Fetched {len(pages)} page(s)…")
                if not page.get("has_more"):
                    return pages, next_cursor
        except PlaidError as exc:
            if not exc.is_mutation_during_pagination:
                raise
            progress(5, "The bank's data changed while fetching; starting again…")
    raise PlaidError(400, "TRANSACTIONS_ERROR", "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
                     "the data kept changing while it was fetched")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


# ---------------------------------------------------------------- applying


@dataclass
class _Changes:
    added: dict[str, dict[str, Any]] = field(default_factory=dict)
    modified: dict[str, dict[str, Any]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)


def _merge(pages: list[dict[str, Any]]) -> _Changes:
    """The pages' net effect, in order: a later page's word on a transaction wins."""
    changes = _Changes()
    for page in pages:
        for txn in page.get("added") or []:
            tid = str(txn["transaction_id"])
            changes.removed.discard(tid)
            changes.added[tid] = txn
        for txn in page.get("modified") or []:
            tid = str(txn["transaction_id"])
            if tid in changes.added:
                changes.added[tid] = txn
            else:
                changes.modified[tid] = txn
        for txn in page.get("removed") or []:
            tid = str(txn.get("transaction_id") or "")
            if tid:
                changes.added.pop(tid, None)
                changes.modified.pop(tid, None)
                changes.removed.add(tid)
    return changes


def _amount(txn: dict[str, Any]) -> Decimal:
    # Plaid: positive = money out of the account; the ledger: negative = money out.
    return -Decimal(str(txn.get("amount") or 0))


def _description(txn: dict[str, Any]) -> str:
    return str(txn.get("name") or txn.get("merchant_name") or "")[:500]


def _provider_category(txn: dict[str, Any]) -> str:
    pfc = txn.get("personal_finance_category") or {}
    return str(pfc.get("detailed") or pfc.get("primary") or "")[:120]


def _day(txn: dict[str, Any]) -> date:
    return date.fromisoformat(str(txn.get("date") or txn.get("authorized_date")))


def _update_row(row: Transaction, txn: dict[str, Any]) -> None:
    """Plaid's newer word on a row; what the user edited by hand stays theirs."""
    if not row.is_locked("date"):
        row.date = _day(txn)
    if not row.is_locked("amount"):
        row.amount = _amount(txn)
    row.raw_description = _description(txn)
    if not row.is_locked("merchant") and txn.get("merchant_name"):
        row.merchant = str(txn["merchant_name"])[:200]
    row.is_pending = bool(txn.get("pending"))
    row.provider_category = _provider_category(txn)


def _account_map(session: DbSession, item: PlaidItem) -> dict[str, int]:
    """Plaid account id -> ledger account id; accounts not matched yet get a new account."""
    mapping = {}
    for plaid_account in item.accounts:
        if plaid_account.account_id is None:
            create_account_for(session, item, plaid_account, item.created_by_id)
        assert plaid_account.account_id is not None
        mapping[plaid_account.plaid_account_id] = plaid_account.account_id
    return mapping


def _rows_by_external_id(session: DbSession, account_ids: list[int],
                         external_ids: set[str]) -> dict[str, Transaction]:
    found: dict[str, Transaction] = {}
    wanted = sorted(external_ids)
    for start in range(0, len(wanted), 5000):
        for row in session.scalars(select(Transaction).where(
                Transaction.account_id.in_(account_ids),
                Transaction.external_id.in_(wanted[start : start + 5000]))):
            assert row.external_id is not None
            found[row.external_id] = row
    return found


def _adoptable(session: DbSession, ids: set[int]) -> dict[int, Transaction]:
    """Rows a synced transaction may merge into: from a file or typed in, not synced."""
    if not ids:
        return {}
    return {row.id: row for row in session.scalars(select(Transaction).where(
        Transaction.id.in_(sorted(ids)), Transaction.source != SOURCE_PLAID,
        Transaction.external_id.is_(None)))}


def _apply(session: DbSession, item: PlaidItem, changes: _Changes,
           progress: Progress) -> tuple[int, int, int]:
    accounts = _account_map(session, item)
    account_ids = sorted(set(accounts.values()))
    pending_ids = {str(t["pending_transaction_id"]) for t in changes.added.values()
                   if t.get("pending_transaction_id")}
    existing = _rows_by_external_id(
        session, account_ids, set(changes.added) | set(changes.modified) | changes.removed
        | pending_ids) if account_ids else {}
    modified = 0
    fresh: list[dict[str, Any]] = []
    for tid, txn in changes.added.items():
        if str(txn.get("account_id")) not in accounts:
            continue  # an account Plaid did not list (closed since): nothing to file it under
        row = existing.get(tid)
        twin = existing.get(str(txn.get("pending_transaction_id") or ""))
        if row is None and twin is not None and twin.is_pending:
            # Posted replaces pending on the same row: category, notes, tags, splits stay.
            row = twin
            existing.pop(str(row.external_id), None)  # Plaid's removal of the pending id
            row.external_id = tid
            existing[tid] = row
        if row is not None:
            _update_row(row, txn)
            modified += 1
        else:
            fresh.append(txn)
    for tid, txn in changes.modified.items():
        row = existing.get(tid)
        if row is not None:
            _update_row(row, txn)
            modified += 1
    removed = 0
    for tid in changes.removed:
        row = existing.get(tid)
        if row is None:
            continue
        if row.source == SOURCE_PLAID:
            session.delete(row)
        else:  # a file's row that a synced one had merged into: the file's row stays
            row.external_id = None
        removed += 1
    session.flush()
    progress(70, f"Matching {len(fresh):,} new transactions…")
    added = _insert_fresh(session, item, accounts, fresh, progress)
    return added, modified, removed


def _insert_fresh(session: DbSession, item: PlaidItem, accounts: dict[str, int],
                  fresh: list[dict[str, Any]], progress: Progress) -> int:
    """New transactions: merged into a matching row from a file (the import's duplicate rules),
    else categorized before writing, as imports are, and written in one go."""
    by_account: dict[int, list[dict[str, Any]]] = {}
    for txn in fresh:
        by_account.setdefault(accounts[str(txn["account_id"])], []).append(txn)
    to_insert: list[tuple[int, dict[str, Any]]] = []
    for account_id, txns in by_account.items():
        parsed = [ParsedRow(i + 1, _day(t), _amount(t), _description(t),
                            external_id=str(t["transaction_id"]))
                  for i, t in enumerate(txns)]
        decisions = classify_rows(session, account_id, parsed)
        matched: dict[int, int] = {}
        for i, decision in enumerate(decisions):
            if decision.kind == REVIEW and decision.matched_id is not None:
                matched[i] = decision.matched_id
            elif decision.kind == DUPLICATE:
                row_id = session.scalar(select(Transaction.id).where(
                    Transaction.account_id == account_id,
                    Transaction.fingerprint == decision.fingerprint))
                if row_id is not None:
                    matched[i] = row_id
        adoptable = _adoptable(session, set(matched.values()))
        for i, txn in enumerate(txns):
            row = adoptable.pop(matched.get(i, 0), None)
            if row is not None:
                row.external_id = str(txn["transaction_id"])
                row.is_pending = bool(txn.get("pending"))
                row.provider_category = row.provider_category or _provider_category(txn)
            else:
                to_insert.append((account_id, txn))
    session.flush()
    if not to_insert:
        return 0
    scope = household_scope(item.household_id, acting_member_id=item.created_by_id)
    decided = decide_new(session, scope, [
        NewTransaction(_description(t), _amount(t), account_id, _day(t),
                       provider_category=_provider_category(t))
        for account_id, t in to_insert])[0]
    progress(85, f"Saving {len(to_insert):,} transactions…")
    now = utcnow()
    insert_rows(session, cast(Table, Transaction.__table__), _COLUMNS, (
        (account_id, _day(t), _amount(t), _description(t),
         str(t.get("merchant_name") or "")[:200] or d.merchant, _provider_category(t),
         bool(t.get("pending")), str(t["transaction_id"]), d.category_id, d.category_source,
         d.category_confidence)
        for (account_id, t), d in zip(to_insert, decided, strict=True)
    ), {
        "household_id": item.household_id, "created_by_id": item.created_by_id,
        "source": SOURCE_PLAID, "notes": "", "is_excluded": False, "locked_fields": [],
        "created_at": now, "updated_at": now,
    })
    bump_ledger_version(session, item.household_id)  # written below the ORM
    if any(d.suggestions is not None or d.tags for d in decided):
        external = [str(t["transaction_id"]) for _, t in to_insert]
        ids_by_external = {ext: txn_id for ext, txn_id in session.execute(
            select(Transaction.external_id, Transaction.id).where(
                Transaction.household_id == item.household_id,
                Transaction.external_id.in_(external)))}
        store_review_and_tags(session, scope, [ids_by_external[e] for e in external], decided)
    return len(to_insert)


def _apply_balances(session: DbSession, item: PlaidItem, accounts: list[dict[str, Any]]) -> None:
    _store_accounts(session, item, accounts)
    now = utcnow()
    for plaid_account in item.accounts:
        if plaid_account.account_id is None or plaid_account.current_balance is None:
            continue
        account = session.get(Account, plaid_account.account_id)
        if account is None:
            continue
        balance = plaid_account.current_balance
        # Plaid reports what is owed on a card or loan as a positive balance.
        account.synced_balance = -balance if account.is_liability else balance
        account.synced_at = now


# ---------------------------------------------------------------- the sync


def sync_item(session: DbSession, client: PlaidClient, run_id: int, keys: str,
              options: SyncOptions | None = None,
              progress: Progress = _no_progress) -> SyncOutcome:
    """Run one claimed-or-pending sync run to its end and say how it ended. Never raises for
    Plaid's errors: they become the run's and the Item's state."""
    options = options or SyncOptions()
    run = session.get(SyncRun, run_id)
    if run is None:
        return SyncOutcome(run_id, "missing")
    if run.status not in (RUN_PENDING, RUN_SYNCING) or not _claim(session, run):
        return SyncOutcome(run_id, run.status, message=run.error_message)
    item = session.get(PlaidItem, run.item_id)
    if item is None:
        fail_run(session, run_id, "The bank was unlinked.")
        session.commit()
        return SyncOutcome(run_id, RUN_FAILED)
    item_pk = item.id
    try:
        access_token = open_access_token(item, keys)
        progress(5, "Asking the bank for changes…")
        pages, next_cursor = _fetch_pages(session, client, run, access_token, item.cursor,
                                          options, progress)
        accounts = _with_retries(lambda: {"accounts": client.get_accounts(access_token)},
                                 run, options)["accounts"]
        item = session.scalars(select(PlaidItem).where(PlaidItem.id == item_pk)
                               .with_for_update()).one()
        added, modified, removed = _apply(session, item, _merge(pages), progress)
        _apply_balances(session, item, accounts)
        progress(95, "Saving…")
        was_broken = item.status != ITEM_GOOD
        set_item_state(session, item, ITEM_GOOD)
        item.cursor = next_cursor  # last: only once everything it covers is in this commit
        item.last_synced_at = utcnow()
        run.status, run.ended_at = RUN_COMPLETED, utcnow()
        run.added_count, run.modified_count, run.removed_count = added, modified, removed
        run.error_code = run.error_message = ""
        if was_broken:
            notify_members(session, item, f"{item.institution_name} is syncing again", "")
        session.commit()
        return SyncOutcome(run_id, RUN_COMPLETED, added, modified, removed)
    except PlaidError as exc:
        session.rollback()
        return _record_failure(session, run_id, item_pk, exc)
    except Exception:
        session.rollback()
        fail_run(session, run_id, "Something went wrong while syncing; nothing was changed.")
        session.commit()
        raise


def _record_failure(session: DbSession, run_id: int, item_pk: int,
                    exc: PlaidError) -> SyncOutcome:
    run = session.get(SyncRun, run_id)
    item = session.get(PlaidItem, item_pk)
    assert run is not None and item is not None
    run.status, run.ended_at = RUN_FAILED, utcnow()
    run.error_code, run.error_message = exc.error_code[:80], exc.user_message[:500]
    outcome = SyncOutcome(run_id, RUN_FAILED, error_code=exc.error_code,
                          message=exc.user_message)
    if exc.needs_login:
        if mark_needs_reauth(session, item, exc.error_code, exc.user_message):
            outcome.notified_user_ids = notify_members(
                session, item, f"{item.institution_name} needs you to sign in again",
                "Open Bank connections and choose Re-authenticate to keep syncing.")
    elif exc.is_retryable:
        run.next_retry_at = utcnow() + timedelta(minutes=5 * 2 ** min(run.attempt, 5))
    else:
        if set_item_state(session, item, ITEM_ERROR, exc.error_code, exc.user_message):
            outcome.notified_user_ids = notify_members(
                session, item, f"Syncing {item.institution_name} failed", exc.user_message)
    session.commit()
    return outcome


def list_due_retries(session: DbSession) -> list[int]:
    """Items whose latest run failed on a retryable error whose wait is over."""
    recent = utcnow() - timedelta(days=2)
    rows = session.execute(select(SyncRun.item_id, SyncRun.status, SyncRun.next_retry_at)
                           .where(SyncRun.created_at >= recent)
                           .order_by(SyncRun.item_id, SyncRun.id.desc())).all()
    due, seen = [], set()
    now = utcnow()
    for item_id, status, retry_at in rows:
        if item_id in seen:
            continue
        seen.add(item_id)
        if status == RUN_FAILED and retry_at is not None and retry_at <= now:
            due.append(int(item_id))
    return due


def list_syncable_item_ids(session: DbSession, household_ids: list[int] | None = None) -> list[int]:
    """Items a scheduled sync should try: not those waiting for the user to sign in again."""
    query = select(PlaidItem.id).where(
        PlaidItem.status.in_((ITEM_GOOD, ITEM_ERROR, ITEM_PENDING_DISCONNECT)))
    if household_ids is not None:
        query = query.where(PlaidItem.household_id.in_(household_ids))
    return list(session.scalars(query.order_by(PlaidItem.id)))

