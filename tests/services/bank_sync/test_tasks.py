"""The bank sync jobs: the job per run (with its opt-in email), the daily sync of every Item
not waiting for its user, due retries, the stale sweeper, and a dead worker's run."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models import Job, PlaidItem, SyncRun, Transaction, User
from finance_app.models.bank_sync import ITEM_NEEDS_REAUTH, RUN_COMPLETED, RUN_FAILED, RUN_STALE
from finance_app.tasks import bank_sync as tasks

D = date(2026, 11, 2)


def test_sync_item_later_records_the_run_and_its_job(linked, fake_plaid):
    fake_plaid.add(linked.fake_item, fake_plaid.transaction(linked.checking_id, "5.00", D, "Deli"))
    run = tasks.sync_item_later(linked.item.id, "manual")
    db.session.refresh(run)
    assert (run.status, run.added_count, run.trigger) == (RUN_COMPLETED, 1, "manual")
    job = db.session.get(Job, run.job_id)
    assert job is not None and job.status == "finished" and job.result["added"] == 1


def test_a_failing_sync_emails_members_who_opted_in(linked, owner, fake_plaid, mailbox):
    fake_plaid.set_item_error(linked.fake_item, "ITEM_LOGIN_REQUIRED")
    tasks.sync_item_later(linked.item.id, "manual")
    assert [m["Subject"] for m in mailbox.to(owner.email)] == [tasks.ATTENTION_SUBJECT]
    body = mailbox.to(owner.email)[0].get_body(preferencelist=("plain",)).get_content()
    assert "/bank-sync/" in body

    mailbox.clear()
    user = db.session.get(User, owner.id)
    user.notify_bank_email = False
    item = db.session.get(PlaidItem, linked.item.id)
    item.status = "good"  # so the next failure is news again
    db.session.commit()
    tasks.sync_item_later(linked.item.id, "manual")
    assert mailbox.to(owner.email) == []


def test_the_daily_sync_skips_items_waiting_for_their_user(linked, owner, plaid, keys,
                                                          fake_plaid):
    from tests.services.bank_sync.conftest import link

    waiting = link(owner, plaid, fake_plaid, keys, institution_id="ins_109509")
    item = db.session.get(PlaidItem, waiting.item.id)
    item.status = ITEM_NEEDS_REAUTH
    db.session.commit()
    fake_plaid.add(linked.fake_item, fake_plaid.transaction(linked.checking_id, "5.00", D, "A"))
    fake_plaid.add(waiting.fake_item, fake_plaid.transaction(waiting.checking_id, "6.00", D, "B"))
    totals = tasks.sync_all_items()
    assert (totals["items"], totals["added"], totals["errors"]) == (1, 1, 0)
    assert [t.raw_description for t in db.session.scalars(select(Transaction))] == ["A"]


def test_due_retries_run_again(linked, fake_plaid):
    fake_plaid.fail_next("/transactions/sync", 429, "RATE_LIMIT_EXCEEDED",
                         "RATE_LIMIT_EXCEEDED", times=4)
    first = tasks.sync_item_later(linked.item.id, "daily")
    db.session.refresh(first)
    assert first.status == RUN_FAILED and first.next_retry_at is not None
    assert tasks.retry_due_syncs()["items"] == 0  # not yet
    first.next_retry_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert tasks.retry_due_syncs() == {"items": 1, "added": 0, "modified": 0, "removed": 0,
                                       "errors": 0}


def test_the_sweeper_and_a_dead_worker_end_runs(linked):
    item = db.session.get(PlaidItem, linked.item.id)
    stuck = SyncRun(household_id=item.household_id, item_id=item.id, status="syncing",
                    created_at=utcnow() - timedelta(hours=2))
    dead = SyncRun(household_id=item.household_id, item_id=item.id, status="syncing")
    db.session.add_all([stuck, dead])
    db.session.commit()
    assert tasks.mark_stale_sync_runs() == {"stale": 1}
    job = Job(id=str(uuid.uuid4()), household_id=item.household_id, name="bank_sync",
              function="finance_app.tasks.bank_sync.sync_item_job", args=[dead.id])
    db.session.add(job)
    tasks.fail_stopped_sync(db.session, job)
    db.session.commit()
    assert (db.session.get(SyncRun, stuck.id).status,
            db.session.get(SyncRun, dead.id).status) == (RUN_STALE, RUN_FAILED)
    assert job.message == tasks.STOPPED_MESSAGE
