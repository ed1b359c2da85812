"""Syncing an Item through plaid-python against the fake Plaid server: first sync, incremental,
modified, removed, pending -> posted with the user's edits kept, mutation during pagination,
re-authentication, rate limits, a crash mid-sync, the same sync twice, an overlapping CSV
import, the lock, and the stale sweeper."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models import (
    Account,
    Notification,
    PlaidItem,
    SplitLine,
    SyncPage,
    SyncRun,
    Tag,
    Transaction,
)
from finance_app.models.bank_sync import (
    ITEM_GOOD,
    ITEM_NEEDS_REAUTH,
    RUN_COMPLETED,
    RUN_FAILED,
    RUN_STALE,
    RUN_SYNCING,
)
from finance_app.services.bank_sync import items, syncing
from finance_app.services.bank_sync.syncing import SyncOptions, create_run, sync_item
from tests.factories import category, imported, make_account, scope_of
from tests.services.bank_sync.conftest import Linked

FAST = SyncOptions(retry_base_seconds=0, page_size=2)
D = date(2026, 11, 2)


def run_sync(linked: Linked, plaid, keys, options: SyncOptions = FAST):
    item = db.session.get(PlaidItem, linked.item.id)
    run = create_run(db.session, item, "manual")
    db.session.commit()
    return sync_item(db.session, plaid, run.id, keys, options)


def rows(account_id: int | None = None) -> list[Transaction]:
    query = select(Transaction).order_by(Transaction.date, Transaction.id)
    if account_id is not None:
        query = query.where(Transaction.account_id == account_id)
    db.session.expire_all()
    return list(db.session.scalars(query))


def by_external(external_id: str) -> Transaction:
    db.session.expire_all()
    return db.session.scalars(select(Transaction).where(
        Transaction.external_id == external_id)).one()


def test_first_sync_adds_every_page_keeps_raw_pages_balances_and_saves_the_cursor(
        linked, plaid, keys, fake_plaid):
    f = fake_plaid
    txns = [f.transaction(linked.checking_id, "12.50", D, "Blue Bottle Coffee",
                          merchant="Blue Bottle", category="FOOD_AND_DRINK"),
            f.transaction(linked.checking_id, "-2500.00", D, "ACME PAYROLL", category="INCOME"),
            f.transaction(linked.card_id, "80.00", D - timedelta(days=1), "Shell Oil"),
            f.transaction(linked.card_id, "19.99", D, "Netflix")]
    f.add(linked.fake_item, *txns)

    outcome = run_sync(linked, plaid, keys)

    assert (outcome.status, outcome.added, outcome.modified, outcome.removed) == (
        RUN_COMPLETED, 4, 0, 0)
    checking = rows(linked.account_id(linked.checking_id))
    assert [(t.amount, t.raw_description, t.source) for t in checking] == [
        (Decimal("-12.50"), "Blue Bottle Coffee", "plaid"),
        (Decimal("2500.00"), "ACME PAYROLL", "plaid")]
    assert checking[0].merchant == "Blue Bottle"
    # Plaid's category is stored as a feature, not taken as the answer.
    assert checking[0].provider_category == "FOOD_AND_DRINK_OTHER"
    assert len(rows(linked.account_id(linked.card_id))) == 2
    run = db.session.get(SyncRun, outcome.run_id)
    assert run.pages == 2 and run.status == RUN_COMPLETED
    pages = db.session.scalars(select(SyncPage).where(SyncPage.run_id == run.id)
                               .order_by(SyncPage.number)).all()
    assert [p.cursor for p in pages] == [None, f"{linked.fake_item.item_id}-2"]
    assert len(pages[0].payload["added"]) == 2
    item = db.session.get(PlaidItem, linked.item.id)
    assert item.cursor == f"{linked.fake_item.item_id}-4"
    checking_account = db.session.get(Account, linked.account_id(linked.checking_id))
    card = db.session.get(Account, linked.account_id(linked.card_id))
    assert checking_account.synced_balance == Decimal("110.00")
    assert card.type == "credit_card" and card.synced_balance == Decimal("-410.00")


def test_incremental_sync_and_the_same_sync_twice_change_nothing_twice(
        linked, plaid, keys, fake_plaid):
    f = fake_plaid
    f.add(linked.fake_item, f.transaction(linked.checking_id, "5.00", D, "Bakery"))
    assert run_sync(linked, plaid, keys).added == 1
    f.add(linked.fake_item, f.transaction(linked.checking_id, "7.00", D, "Deli"))
    second = run_sync(linked, plaid, keys)
    assert (second.added, second.modified, second.removed) == (1, 0, 0)
    third = run_sync(linked, plaid, keys)
    assert (third.status, third.added, third.modified, third.removed) == (RUN_COMPLETED, 0, 0, 0)
    assert [t.raw_description for t in rows()] == ["Bakery", "Deli"]


def test_the_same_pages_applied_twice_do_not_duplicate(linked, plaid, keys, fake_plaid):
    """A cursor reset (Plaid may hand the same changes again) finds every row by its id."""
    f = fake_plaid
    f.add(linked.fake_item, f.transaction(linked.checking_id, "5.00", D, "Bakery"),
          f.transaction(linked.checking_id, "5.00", D, "Bakery"))
    run_sync(linked, plaid, keys)
    item = db.session.get(PlaidItem, linked.item.id)
    item.cursor = None
    db.session.commit()
    again = run_sync(linked, plaid, keys)
    assert (again.added, again.modified) == (0, 2)
    assert len(rows()) == 2  # two identical purchases stay two rows


def test_modified_updates_the_row_but_not_what_the_user_edited(linked, plaid, keys, fake_plaid):
    f = fake_plaid
    txn = f.transaction(linked.checking_id, "30.00", D, "AMZN MKTP", merchant="Amazon")
    f.add(linked.fake_item, txn)
    run_sync(linked, plaid, keys)
    row = by_external(txn["transaction_id"])
    row.merchant, row.notes = "Birthday present", "for Sam"
    row.lock("merchant", "notes")
    db.session.commit()

    f.modify(linked.fake_item, {**txn, "amount": 32.5, "name": "AMZN MKTP US",
                                "merchant_name": "Amazon.com"})
    outcome = run_sync(linked, plaid, keys)

    assert (outcome.added, outcome.modified) == (0, 1)
    row = by_external(txn["transaction_id"])
    assert (row.amount, row.raw_description, row.merchant, row.notes) == (
        Decimal("-32.50"), "AMZN MKTP US", "Birthday present", "for Sam")


def test_removed_deletes_the_synced_row(linked, plaid, keys, fake_plaid):
    f = fake_plaid
    keep = f.transaction(linked.checking_id, "3.00", D, "Keep")
    gone = f.transaction(linked.checking_id, "4.00", D, "Gone")
    f.add(linked.fake_item, keep, gone)
    run_sync(linked, plaid, keys)
    f.remove(linked.fake_item, gone["transaction_id"])
    outcome = run_sync(linked, plaid, keys)
    assert outcome.removed == 1
    assert [t.raw_description for t in rows()] == ["Keep"]


def test_pending_replaced_by_posted_keeps_category_notes_tags_and_splits(
        linked, owner, plaid, keys, fake_plaid):
    f = fake_plaid
    pending = f.transaction(linked.checking_id, "45.00", D, "WHOLEFDS #123 PENDING",
                            pending=True)
    f.add(linked.fake_item, pending)
    run_sync(linked, plaid, keys)
    row = by_external(pending["transaction_id"])
    assert row.is_pending
    groceries, household = category(owner, "Groceries"), category(owner, "Household")
    tag = Tag(household_id=row.household_id, name="costco-run")
    db.session.add(tag)
    row.category_id, row.category_source, row.notes = groceries.id, "user", "split with Ann"
    row.tags.append(tag)
    row.splits = [SplitLine(category_id=groceries.id, amount=Decimal("-30.00")),
                  SplitLine(category_id=household.id, amount=Decimal("-15.00"))]
    row.lock("category", "notes", "tags")
    pending_row_id = row.id
    db.session.commit()

    posted = f.transaction(linked.checking_id, "45.00", D + timedelta(days=1),
                           "WHOLEFDS #123", pending_transaction_id=pending["transaction_id"])
    f.add(linked.fake_item, posted)
    f.remove(linked.fake_item, pending["transaction_id"])
    outcome = run_sync(linked, plaid, keys)

    assert outcome.status == RUN_COMPLETED
    all_rows = rows()
    assert len(all_rows) == 1
    row = all_rows[0]
    assert (row.id, row.external_id, row.is_pending, row.date) == (
        pending_row_id, posted["transaction_id"], False, D + timedelta(days=1))
    assert (row.category_id, row.notes) == (groceries.id, "split with Ann")
    assert [t.name for t in row.tags] == ["costco-run"]
    assert sorted(s.amount for s in row.splits) == [Decimal("-30.00"), Decimal("-15.00")]


def test_mutation_during_pagination_restarts_from_the_saved_cursor(
        linked, plaid, keys, fake_plaid):
    f = fake_plaid
    f.add(linked.fake_item, *[f.transaction(linked.checking_id, f"{i}.00", D, f"Shop {i}")
                              for i in range(1, 6)])
    f.mutate_during_pagination(after_pages=1)  # the third page request is refused once

    outcome = run_sync(linked, plaid, keys)

    assert outcome.status == RUN_COMPLETED and outcome.added == 5
    assert sorted(t.raw_description for t in rows()) == [f"Shop {i}" for i in range(1, 6)]
    # Two pages before the error, then three from the start again.
    assert db.session.get(SyncRun, outcome.run_id).pages == 5


def test_login_required_needs_reauthentication_notifies_then_recovers(
        linked, owner, plaid, keys, fake_plaid):
    f = fake_plaid
    f.add(linked.fake_item, f.transaction(linked.checking_id, "9.00", D, "Cafe"))
    f.set_item_error(linked.fake_item, "ITEM_LOGIN_REQUIRED")

    outcome = run_sync(linked, plaid, keys)

    assert (outcome.status, outcome.error_code) == (RUN_FAILED, "ITEM_LOGIN_REQUIRED")
    assert outcome.notified_user_ids == [owner.id]
    item = db.session.get(PlaidItem, linked.item.id)
    assert item.status == ITEM_NEEDS_REAUTH and item.needs_reauth
    assert item.status_label == "Needs re-authentication"
    assert rows() == [] and item.cursor is None
    notes = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert [n.title for n in notes] == ["First Platypus Bank needs you to sign in again"]
    # A second failure does not notify again.
    assert run_sync(linked, plaid, keys).notified_user_ids == []

    f.set_item_error(linked.fake_item, None)  # the user signed in again through Link
    recovered = run_sync(linked, plaid, keys)
    assert (recovered.status, recovered.added) == (RUN_COMPLETED, 1)
    assert db.session.get(PlaidItem, linked.item.id).status == ITEM_GOOD


def test_rate_limit_and_server_errors_are_retried_with_backoff(linked, plaid, keys, fake_plaid):
    f = fake_plaid
    f.add(linked.fake_item, f.transaction(linked.checking_id, "9.00", D, "Cafe"))
    f.fail_next("/transactions/sync", 429, "RATE_LIMIT_EXCEEDED", "RATE_LIMIT_EXCEEDED")
    f.fail_next("/transactions/sync", 500, "API_ERROR", "INTERNAL_SERVER_ERROR")

    outcome = run_sync(linked, plaid, keys)

    assert (outcome.status, outcome.added) == (RUN_COMPLETED, 1)
    assert db.session.get(SyncRun, outcome.run_id).attempt == 3


def test_rate_limit_that_persists_fails_the_run_with_a_retry_time(linked, plaid, keys,
                                                                  fake_plaid):
    fake_plaid.fail_next("/transactions/sync", 429, "RATE_LIMIT_EXCEEDED",
                         "RATE_LIMIT_EXCEEDED", times=syncing.MAX_RETRIES + 1)
    outcome = run_sync(linked, plaid, keys)
    run = db.session.get(SyncRun, outcome.run_id)
    assert run.status == RUN_FAILED and run.error_code == "RATE_LIMIT_EXCEEDED"
    assert run.next_retry_at is not None and run.next_retry_at > utcnow()
    assert db.session.get(PlaidItem, linked.item.id).status == ITEM_GOOD
    run.next_retry_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert syncing.list_due_retries(db.session) == [linked.item.id]


def test_a_crash_after_page_two_then_a_rerun_loses_nothing_and_doubles_nothing(
        linked, plaid, keys, fake_plaid, monkeypatch):
    f = fake_plaid
    f.add(linked.fake_item, *[f.transaction(linked.checking_id, f"{i}.00", D, f"Shop {i}")
                              for i in range(1, 6)])
    real = plaid.sync_transactions
    calls = []

    def crash_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(plaid, "sync_transactions", crash_on_third)
    with pytest.raises(RuntimeError):
        run_sync(linked, plaid, keys)
    assert rows() == []
    assert db.session.get(PlaidItem, linked.item.id).cursor is None
    crashed = db.session.scalars(select(SyncRun)).one()
    assert crashed.status == RUN_FAILED and crashed.pages == 2  # raw pages kept

    rerun = run_sync(linked, plaid, keys)
    assert (rerun.status, rerun.added) == (RUN_COMPLETED, 5)
    assert sorted(t.raw_description for t in rows()) == [f"Shop {i}" for i in range(1, 6)]


def test_an_account_with_csv_history_merges_with_synced_rows(owner, plaid, keys, fake_plaid):
    scope = scope_of(owner)
    history = make_account(scope, "Everyday")
    old = imported(scope, "SQ *BLUE BOTTLE COFFEE", "-4.50", history, on=D - timedelta(days=30))
    overlap = imported(scope, "BLUE BOTTLE COFFEE SF", "-12.50", history, on=D)
    db.session.commit()
    second = fake_plaid.create_item()
    item = items.link_item(db.session, scope, plaid, fake_plaid.issue_public_token(second), keys)
    # The Plaid checking account is matched to the account with the file's history.
    checking = next(a for a in item.accounts if a.mask == "0000")
    items.match_accounts(db.session, scope, item, {checking.id: str(history.id)})
    db.session.commit()
    plaid_checking = second.accounts[0]["account_id"]
    fake_plaid.add(second,
                   fake_plaid.transaction(plaid_checking, "12.50", D + timedelta(days=1),
                                          "Blue Bottle Coffee"),
                   fake_plaid.transaction(plaid_checking, "12.50", D + timedelta(days=2),
                                          "Blue Bottle Coffee"))
    outcome = run_sync(Linked(item, second, fake_plaid), plaid, keys)

    assert outcome.status == RUN_COMPLETED
    in_account = rows(history.id)
    # The file's row took the first synced twin; the second coffee is a new row.
    assert len(in_account) == 3
    merged = db.session.get(Transaction, overlap.id)
    assert merged.external_id is not None and merged.source == "import"
    assert db.session.get(Transaction, old.id).external_id is None


def test_a_csv_import_after_a_sync_holds_the_overlap_for_review(linked, owner, plaid, keys,
                                                                fake_plaid):
    from finance_app.importers import ParsedRow
    from finance_app.services.imports.matching import NEW, REVIEW, classify_rows

    f = fake_plaid
    f.add(linked.fake_item, f.transaction(linked.checking_id, "12.50", D, "Blue Bottle Coffee"))
    run_sync(linked, plaid, keys)
    account_id = linked.account_id(linked.checking_id)
    decisions = classify_rows(db.session, account_id, [
        ParsedRow(1, D + timedelta(days=1), Decimal("-12.50"), "SQ *BLUE BOTTLE COFFEE"),
        ParsedRow(2, D, Decimal("-99.00"), "Something else")])
    assert [d.kind for d in decisions] == [REVIEW, NEW]


def test_one_item_never_syncs_twice_at_once(linked, plaid, keys):
    item = db.session.get(PlaidItem, linked.item.id)
    first = create_run(db.session, item, "manual")
    first.status = RUN_SYNCING
    db.session.commit()
    outcome = run_sync(linked, plaid, keys)
    assert (outcome.status, db.session.get(SyncRun, outcome.run_id).error_code) == (
        RUN_FAILED, "ALREADY_SYNCING")


def test_runs_syncing_for_more_than_an_hour_are_marked_stale(linked):
    item = db.session.get(PlaidItem, linked.item.id)
    old, recent = create_run(db.session, item, "manual"), create_run(db.session, item, "daily")
    old.status, old.created_at = RUN_SYNCING, utcnow() - timedelta(minutes=61)
    recent.status = RUN_SYNCING
    db.session.commit()
    assert syncing.mark_stale_runs(db.session) == 1
    db.session.commit()
    assert (db.session.get(SyncRun, old.id).status,
            db.session.get(SyncRun, recent.id).status) == (RUN_STALE, RUN_SYNCING)


def test_other_errors_are_recorded_with_a_human_message(linked, owner, plaid, keys, fake_plaid):
    fake_plaid.fail_next("/transactions/sync", 400, "INVALID_REQUEST", "INVALID_FIELD",
                         display="Something about your bank is not supported yet.")
    outcome = run_sync(linked, plaid, keys)
    run = db.session.get(SyncRun, outcome.run_id)
    assert (run.status, run.error_message) == (
        RUN_FAILED, "Something about your bank is not supported yet.")
    assert run.next_retry_at is None
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_new_rows_are_categorized_before_writing_from_the_households_history(
        linked, owner, plaid, keys, fake_plaid):
    from finance_app.ml import merchant_key
    from finance_app.models import MerchantMemory

    coffee = category(owner, "Coffee shops")
    db.session.add(MerchantMemory(household_id=coffee.household_id,
                                  merchant_key=merchant_key("Blue Bottle Coffee"),
                                  merchant_name="Blue Bottle", category_id=coffee.id, count=3))
    db.session.commit()
    fake_plaid.add(linked.fake_item, fake_plaid.transaction(
        linked.checking_id, "4.50", D, "Blue Bottle Coffee", category="FOOD_AND_DRINK"))
    run_sync(linked, plaid, keys)
    row = rows()[0]
    assert (row.category_id, row.category_source) == (coffee.id, "history")
