"""Bank sync jobs: one per Item and run (`sync_item_later` records the run, then enqueues), the
daily sync of every Item, retries that are due, the stale-run sweeper, and the alerts a sync
sets off (on each member's channels)."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

from finance_app.db import DbSession
from finance_app.extensions import db
from finance_app.integrations.plaid import PlaidClient, PlaidSettings
from finance_app.jobs import enqueue, report_progress, when_abandoned
from finance_app.models.bank_sync import PlaidItem, SyncRun
from finance_app.models.job import Job
from finance_app.models.recurring import (
    LARGE_TRANSACTION,
    LOW_BALANCE,
    NEW_TRANSACTIONS,
    SYNC_ATTENTION,
)
from finance_app.services.bank_sync.syncing import (
    SyncOptions,
    SyncOutcome,
    active_run,
    create_run,
    fail_run,
    list_due_retries,
    list_syncable_item_ids,
    mark_stale_runs,
    sync_item,
)
from finance_app.tasks.alert_mail import ATTENTION_SUBJECT  # noqa: F401 (tests read it here)
from finance_app.tasks.alerts import send_alerts_job

log = logging.getLogger(__name__)
STOPPED_MESSAGE = "The sync stopped before it finished; nothing was changed."
# After a sync: its trouble and what its new rows may set off.
SYNC_KINDS = [SYNC_ATTENTION, NEW_TRANSACTIONS, LARGE_TRANSACTION, LOW_BALANCE]


def plaid_client() -> PlaidClient:
    """A client for the configured Plaid (or Plaid-compatible) host."""
    return PlaidClient(PlaidSettings.from_config(current_app.config))


def sync_options() -> SyncOptions:
    return SyncOptions(
        retry_base_seconds=float(current_app.config.get("PLAID_RETRY_BASE_SECONDS", 2.0)))


def sync_item_later(item_id: int, trigger: str = "manual",
                    user_id: int | None = None) -> SyncRun:
    """Record a pending run and start its job; an Item already syncing keeps its run."""
    item = db.session.get(PlaidItem, item_id)
    assert item is not None
    running = active_run(db.session, item.id)
    if running is not None:
        return running
    run = create_run(db.session, item, trigger)
    db.session.commit()
    job = enqueue(sync_item_job, run.id, user_id=user_id, household_id=item.household_id,
                  name="bank_sync", description=f"Syncing {item.institution_name}")
    run = db.session.get(SyncRun, run.id)  # type: ignore[assignment]
    assert run is not None
    if run.job_id is None:
        run.job_id = job.id
        db.session.commit()
    return run


def sync_item_job(run_id: int) -> dict:
    """The job: sync the run's Item, then email members who want to hear about trouble."""
    with plaid_client() as client:
        outcome = sync_item(db.session, client, run_id, current_app.config[
            "TOKEN_ENCRYPTION_KEY"], sync_options(), report_progress)
    _send_alerts(run_id, outcome)
    return outcome.as_dict()


def _send_alerts(run_id: int, outcome: SyncOutcome) -> None:
    """Trouble, and new rows (their summary, large ones, a low balance), on each member's
    channels; mail or SMS trouble must not fail the sync that already committed."""
    if not (outcome.notified_user_ids or outcome.added):
        return
    run = db.session.get(SyncRun, run_id)
    item = db.session.get(PlaidItem, run.item_id) if run is not None else None
    if item is None:
        return
    try:
        send_alerts_job(item.household_id, kinds=SYNC_KINDS)
    except Exception:
        db.session.rollback()
        log.exception("alerts after sync run %s failed", run_id)


@when_abandoned(sync_item_job)
def fail_stopped_sync(session: DbSession, job: Job) -> None:
    """The worker died mid-sync: nothing was committed past the raw pages, the cursor did not
    move, so the run simply failed and the next sync fetches the same changes again."""
    job.message = STOPPED_MESSAGE
    if job.args:
        fail_run(session, int(job.args[0]), STOPPED_MESSAGE)


def sync_items_now(item_ids: list[int], trigger: str) -> dict[str, Any]:
    """Sync each Item in this process, one after another (the CLI and scheduled work)."""
    totals = {"items": 0, "added": 0, "modified": 0, "removed": 0, "errors": 0}
    keys = current_app.config["TOKEN_ENCRYPTION_KEY"]
    with plaid_client() as client:
        for item_id in item_ids:
            item = db.session.get(PlaidItem, item_id)
            if item is None or active_run(db.session, item_id) is not None:
                continue
            run = create_run(db.session, item, trigger)
            db.session.commit()
            outcome = sync_item(db.session, client, run.id, keys, sync_options())
            totals["items"] += 1
            totals["added"] += outcome.added
            totals["modified"] += outcome.modified
            totals["removed"] += outcome.removed
            totals["errors"] += outcome.status != "completed"
            _send_alerts(run.id, outcome)
    return totals


def sync_all_items() -> dict:
    """Daily (the cron): every Item that is not waiting for its user to sign in again."""
    if not current_app.config.get("PLAID_CLIENT_ID"):
        return {"items": 0, "skipped": "Plaid is not configured"}
    return sync_items_now(list_syncable_item_ids(db.session), "daily")


def retry_due_syncs() -> dict:
    """Every few minutes: Items whose last run hit a rate limit or an outage, once its wait
    (which doubles with each attempt) is over."""
    if not current_app.config.get("PLAID_CLIENT_ID"):
        return {"items": 0}
    return sync_items_now(list_due_retries(db.session), "retry")


def mark_stale_sync_runs() -> dict:
    """Every few minutes: runs syncing for more than an hour are stale (their worker died)."""
    count = mark_stale_runs(db.session)
    db.session.commit()
    return {"stale": count}
