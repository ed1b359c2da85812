"""The ledger version changes on every kind of ledger write, and only for the household written
to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, insert, update

from finance_app.extensions import db
from finance_app.models.ledger import SplitLine, Transaction
from finance_app.services.ledger.cache import LedgerCache, MemoryStore
from finance_app.services.ledger.version import bump_ledger_version, get_ledger_version
from tests.factories import build_ledger, make_txn, make_user


def test_every_write_path_bumps_only_its_user(ctx: object) -> None:
    ledger = build_ledger(make_user("v@example.com"))
    other = build_ledger(make_user("w@example.com"))
    hid, theirs = ledger.household_id, get_ledger_version(db.session, other.household_id)
    seen = {get_ledger_version(db.session, hid)}

    def changed() -> bool:
        version = get_ledger_version(db.session, hid)
        fresh = version not in seen
        seen.add(version)
        return fresh

    # ORM insert
    txn = make_txn(ledger.card, "-1", date(2026, 3, 3), "Kiosk", category=ledger.dining)
    assert changed()
    txn.notes = "coffee"  # ORM update
    db.session.flush()
    assert changed()
    db.session.add(SplitLine(transaction_id=txn.id, category_id=ledger.dining.id,
                             amount=Decimal("-1")))
    db.session.flush()
    assert changed()
    db.session.execute(update(Transaction).where(Transaction.id == txn.id).values(notes="x"))
    assert changed()
    db.session.execute(update(Transaction), [{"id": txn.id, "notes": "y"}])
    assert changed()
    db.session.execute(insert(Transaction), [{
        "household_id": hid, "account_id": ledger.card.id, "date": date(2026, 3, 4),
        "amount": Decimal("-2"), "locked_fields": [],
    }])
    assert changed()
    db.session.execute(delete(SplitLine).where(SplitLine.transaction_id == txn.id))
    assert changed()
    db.session.delete(txn)
    db.session.flush()
    assert changed()
    bump_ledger_version(db.session, hid)
    assert changed()
    assert get_ledger_version(db.session, other.household_id) == theirs


def test_cache_is_keyed_by_version(ctx: object) -> None:
    cache = LedgerCache(MemoryStore())
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.fetch("1", 10, "w", ("a",), compute) == 1
    assert cache.fetch("1", 10, "w", ("a",), compute) == 1
    assert cache.fetch("1", 11, "w", ("a",), compute) == 2
    assert cache.fetch("2", 11, "w", ("a",), compute) == 3
    assert cache.fetch("1", 11, "w", ("b",), compute) == 4
