"""Detection persisted: detected series are upserted by (account, key); a member's confirmation,
edits, merges and dismissals survive every later run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.ml.recurring import DetectedSeries, detect_series
from finance_app.ml.schedule import next_after
from finance_app.models.ledger import Account
from finance_app.models.recurring import DETECTED, DISMISSED, RecurringSeries
from finance_app.services.recurring.history import load_history
from finance_app.services.scope import household_scope, scoped


@dataclass(frozen=True)
class DetectionResult:
    found: int
    created: int
    updated: int


def detect_recurring(session: DbSession, household_id: int, today: date) -> DetectionResult:
    """Find the household's series in all its accounts and save them (flushed, not committed).
    Running it twice changes nothing the second time."""
    scope = household_scope(household_id)
    detected = detect_series(load_history(session, scope), today)
    existing = list(session.scalars(scoped(RecurringSeries, scope)))
    by_key = {(s.account_id, key): s for s in existing for key in s.keys}
    currencies = dict(session.execute(
        select(Account.id, Account.currency).where(Account.household_id == household_id)).all())
    created = updated = 0
    for found in detected:
        series = by_key.get((found.account_id, found.key))
        if series is None:
            series = RecurringSeries(household_id=household_id, account_id=found.account_id,
                                     merchant_key=found.key, aliases=[], status=DETECTED)
            session.add(series)
            by_key[(found.account_id, found.key)] = series
            _apply(series, found, currencies.get(found.account_id, "USD"), today)
            created += 1
        elif series.status != DISMISSED or series.last_seen != found.last_seen:
            _apply(series, found, currencies.get(found.account_id, "USD"), today)
            updated += 1
    session.flush()
    return DetectionResult(found=len(detected), created=created, updated=updated)


def _apply(series: RecurringSeries, found: DetectedSeries, currency: str, today: date) -> None:
    """Detection's view of the series; what a member edited by hand is theirs to keep."""
    if found.key != series.merchant_key and series.last_seen and found.last_seen < series.last_seen:
        return  # a merged-in key that ended earlier than the series itself
    series.last_seen = found.last_seen
    series.first_seen = min(series.first_seen or found.first_seen, found.first_seen)
    series.occurrences = found.occurrences
    series.confidence = found.confidence
    series.previous_amount = found.previous_amount
    series.amount_changed_on = found.changed_on
    if not series.is_edited:
        series.merchant = found.merchant
        series.interval = found.interval
        series.anchors = list(found.anchors)
        series.kind = found.kind
        series.currency = currency
        series.expected_amount = found.expected_amount
        series.amount_low = found.amount_low
        series.amount_high = found.amount_high
    series.next_due = next_after(series.interval, series.anchors, found.last_seen, today)
