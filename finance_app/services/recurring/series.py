"""A household's series as members see and shape them: list, confirm, edit, merge, dismiss
(remembered), restore and add by hand. Every lookup goes through the Scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.ml.schedule import PERIOD_DAYS, TOLERANCE_DAYS
from finance_app.models.ledger import Account
from finance_app.models.recurring import (
    CANCELLED,
    CONFIRMED,
    DETECTED,
    DISMISSED,
    INCOME,
    INTERVALS,
    MONTHLY,
    PER_YEAR,
    QUARTERLY,
    SERIES_KINDS,
    SOURCE_MANUAL,
    SUBSCRIPTION,
    YEARLY,
    RecurringSeries,
)
from finance_app.money import ZERO, quantize
from finance_app.services.errors import DomainError
from finance_app.services.recurring.history import series_key
from finance_app.services.scope import Scope, owned, scoped


class SeriesInvalid(DomainError):
    """Please check the series' name, amount, interval and next due date."""


class MergeRefused(DomainError):
    """Only two series of the same account can be merged."""


@dataclass(frozen=True)
class SeriesInput:
    merchant: str
    amount: Decimal  # as typed: positive; the kind gives the sign
    interval: str
    kind: str
    next_due: date | None = None
    account_id: int | None = None


def list_series(session: DbSession, scope: Scope, *, include_dismissed: bool = False
                ) -> list[RecurringSeries]:
    """The series this member may see (their private accounts' too, not other members')."""
    query = scoped(RecurringSeries, scope)
    if not include_dismissed:
        query = query.where(RecurringSeries.status != DISMISSED)
    series = list(session.scalars(query))
    return sorted(series, key=lambda s: (s.next_due or date.max, s.merchant.lower(), s.id))


def get_series(session: DbSession, scope: Scope, series_id: object) -> RecurringSeries:
    return owned(session, RecurringSeries, series_id, scope)


def is_stopped(series: RecurringSeries, today: date) -> bool:
    """No payment for two intervals (and the tolerance): "cancelled?"."""
    if series.last_seen is None:
        return False
    limit = 2 * PERIOD_DAYS[series.interval] + TOLERANCE_DAYS[series.interval]
    return (today - series.last_seen).days > limit


def yearly_amount(series: RecurringSeries) -> Decimal:
    """What the series costs (or brings) in a year at its expected amount."""
    return quantize(abs(series.expected_amount) * PER_YEAR[series.interval])


def yearly_subscription_cost(series: list[RecurringSeries], today: date) -> Decimal:
    """The yearly cost of the subscriptions still running (per currency is the caller's)."""
    return sum((yearly_amount(s) for s in series
                if s.kind == SUBSCRIPTION and s.status != DISMISSED and not is_stopped(s, today)),
               ZERO)


def confirm_series(session: DbSession, scope: Scope, series_id: object) -> RecurringSeries:
    series = get_series(session, scope, series_id)
    series.status = CONFIRMED
    session.flush()
    return series


def dismiss_series(session: DbSession, scope: Scope, series_id: object) -> RecurringSeries:
    """Not a series: hidden, and detection keeps it dismissed from now on."""
    series = get_series(session, scope, series_id)
    series.status = DISMISSED
    session.flush()
    return series


def restore_series(session: DbSession, scope: Scope, series_id: object) -> RecurringSeries:
    series = get_series(session, scope, series_id)
    series.status = DETECTED if series.source != SOURCE_MANUAL else CONFIRMED
    session.flush()
    return series


def _validated(session: DbSession, scope: Scope, data: SeriesInput) -> SeriesInput:
    if (not data.merchant.strip() or data.interval not in INTERVALS
            or data.kind not in SERIES_KINDS or data.amount <= 0):
        raise SeriesInvalid()
    if data.account_id is not None:
        owned(session, Account, data.account_id, scope)  # a foreign account is not found
    return data


def _signed(amount: Decimal, kind: str) -> Decimal:
    return amount if kind == INCOME else -amount


def _anchors_for(interval: str, day: date | None) -> list[int]:
    if day is not None and interval in (MONTHLY, QUARTERLY, YEARLY):
        return [day.day]
    return []


def update_series(session: DbSession, scope: Scope, series_id: object, data: SeriesInput
                  ) -> RecurringSeries:
    """A member's edit: kept as they wrote it by every later detection."""
    series = get_series(session, scope, series_id)
    data = _validated(session, scope, data)
    amount = _signed(data.amount, data.kind)
    series.merchant = data.merchant.strip()
    series.kind, series.interval = data.kind, data.interval
    series.expected_amount = series.amount_low = series.amount_high = amount
    if data.next_due is not None:
        series.next_due = data.next_due
    series.anchors = _anchors_for(data.interval, series.next_due)
    series.is_edited = True
    series.status = CONFIRMED
    session.flush()
    return series


def add_series(session: DbSession, scope: Scope, data: SeriesInput) -> RecurringSeries:
    """A series added by hand (a bill paid in cash, or not yet imported)."""
    data = _validated(session, scope, data)
    if data.next_due is None:
        raise SeriesInvalid()
    key = series_key(data.merchant, data.merchant)
    clash = session.scalar(scoped(RecurringSeries, scope).where(
        RecurringSeries.merchant_key == key,
        RecurringSeries.account_id.is_(None) if data.account_id is None
        else RecurringSeries.account_id == data.account_id))
    if clash is not None:
        raise SeriesInvalid("There is already a series for that name and account: edit it "
                            "instead.")
    amount = _signed(data.amount, data.kind)
    currency = "USD"
    if data.account_id is not None:
        account = session.get(Account, data.account_id)
        currency = account.currency if account else currency
    series = RecurringSeries(
        household_id=scope.household_id, account_id=data.account_id,
        merchant=data.merchant.strip(), merchant_key=key, aliases=[], interval=data.interval,
        anchors=_anchors_for(data.interval, data.next_due), kind=data.kind, currency=currency,
        expected_amount=amount, amount_low=amount, amount_high=amount, next_due=data.next_due,
        occurrences=0, confidence=1.0, status=CONFIRMED, source=SOURCE_MANUAL, is_edited=True)
    session.add(series)
    session.flush()
    return series


def merge_series(session: DbSession, scope: Scope, keep_id: object, other_id: object
                 ) -> RecurringSeries:
    """One series under two names (a renamed merchant): `other` becomes an alias of `keep`,
    and its row goes."""
    keep = get_series(session, scope, keep_id)
    other = get_series(session, scope, other_id)
    if keep.id == other.id or keep.account_id != other.account_id:
        raise MergeRefused()
    keep.aliases = sorted({*keep.aliases, *other.keys} - {keep.merchant_key})
    if other.last_seen and (keep.last_seen is None or other.last_seen > keep.last_seen):
        keep.last_seen, keep.next_due = other.last_seen, other.next_due
    if other.first_seen and (keep.first_seen is None or other.first_seen < keep.first_seen):
        keep.first_seen = other.first_seen
    keep.occurrences += other.occurrences
    keep.status = CONFIRMED
    session.delete(other)
    session.flush()
    return keep


def list_merge_candidates(session: DbSession, scope: Scope, series: RecurringSeries
                          ) -> list[RecurringSeries]:
    """The other series of the same account, for the merge form."""
    query = scoped(RecurringSeries, scope).where(
        RecurringSeries.id != series.id, RecurringSeries.status != DISMISSED,
        RecurringSeries.account_id.is_(None) if series.account_id is None
        else RecurringSeries.account_id == series.account_id)
    return list(session.scalars(query.order_by(RecurringSeries.merchant)))


def list_series_accounts(session: DbSession, scope: Scope) -> list[Account]:
    return list(session.scalars(scoped(Account, scope).where(Account.is_archived.is_(False))
                                .order_by(Account.name)))


def cancel_series(session: DbSession, scope: Scope, series_id: object) -> RecurringSeries:
    """"Yes, I cancelled it": a later charge of it is flagged."""
    series = get_series(session, scope, series_id)
    series.status = CANCELLED
    series.cancelled_after = series.last_seen
    session.flush()
    return series
