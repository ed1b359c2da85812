"""What is due when: each series' expected days, matched to the transactions that paid them
(within a tolerance of days and amount), as paid / upcoming / late / missed.

`upcoming_occurrences` is the API other features (forecasts) build on.
"""

from __future__ import annotations

import calendar as month_calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.ml.schedule import TOLERANCE_DAYS, occurrences
from finance_app.models.ledger import Transaction
from finance_app.models.recurring import CANCELLED, RecurringSeries
from finance_app.services.recurring.history import series_key
from finance_app.services.recurring.series import is_stopped, list_series
from finance_app.services.scope import Scope, in_scope

PAID, UPCOMING, LATE, MISSED = "paid", "upcoming", "late", "missed"
STATUS_LABELS = {PAID: "Paid", UPCOMING: "Upcoming", LATE: "Late", MISSED: "Missed"}
# An amount still matches when within this share of the series' range (and a unit).
AMOUNT_TOLERANCE = Decimal("0.2")
MAX_TOLERANCE = max(TOLERANCE_DAYS.values())


@dataclass(frozen=True)
class Occurrence:
    series: RecurringSeries
    day: date
    expected_amount: Decimal
    amount_low: Decimal
    amount_high: Decimal
    status: str = UPCOMING
    transaction_id: int | None = None
    paid_amount: Decimal | None = None
    paid_on: date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _reference(series: RecurringSeries) -> date | None:
    return series.last_seen or series.next_due


def _expected_days(series: RecurringSeries, start: date, end: date, today: date) -> list[date]:
    reference = _reference(series)
    if reference is None:
        return []
    tolerance = timedelta(days=TOLERANCE_DAYS[series.interval])
    if series.first_seen is not None:
        start = max(start, series.first_seen - tolerance)
    elif series.next_due is not None:  # added by hand: nothing before its first due day
        start = max(start, series.next_due)
    if series.status == CANCELLED and series.cancelled_after is not None:
        end = min(end, series.cancelled_after + tolerance)
    elif is_stopped(series, today) and series.last_seen is not None:
        end = min(end, series.last_seen + tolerance)  # no charge since: not due any more
    return occurrences(series.interval, series.anchors, reference, start, end)


def upcoming_occurrences(session: DbSession, scope: Scope, start: date, end: date,
                         today: date | None = None) -> list[Occurrence]:
    """The expected payments of the member's live series between start and end (inclusive),
    oldest first, each with its expected amount and range. No matching: a plan, not a record."""
    today = today or start
    result = [
        Occurrence(s, day, s.expected_amount, s.amount_low, s.amount_high)
        for s in list_series(session, scope) if s.status != CANCELLED
        for day in _expected_days(s, start, end, today)
    ]
    return sorted(result, key=lambda o: (o.day, o.series.merchant.lower(), o.series.id))


def _amount_fits(amount: Decimal, series: RecurringSeries) -> bool:
    low = min(abs(series.amount_low), abs(series.amount_high), abs(series.expected_amount))
    high = max(abs(series.amount_low), abs(series.amount_high), abs(series.expected_amount))
    return (low * (1 - AMOUNT_TOLERANCE) - 1 <= abs(amount) <= high * (1 + AMOUNT_TOLERANCE) + 1
            and (amount < 0) == (series.expected_amount < 0))


def bills_between(session: DbSession, scope: Scope, start: date, end: date, today: date
                  ) -> list[Occurrence]:
    """Every expected payment between start and end with its standing: paid (a transaction
    matched it), upcoming, late (past its day and tolerance) or missed (a later one was paid)."""
    planned = upcoming_occurrences(session, scope, start, end, today)
    if not planned:
        return []
    t = Transaction
    rows = session.execute(
        select(t.id, t.account_id, t.merchant, t.raw_description, t.date, t.amount)
        .where(*in_scope(t, scope), t.is_excluded.is_(False),
               t.date >= start - timedelta(days=MAX_TOLERANCE),
               t.date <= end + timedelta(days=MAX_TOLERANCE))
        .order_by(t.date, t.id))
    by_key: dict[str, list[tuple[int, int, date, Decimal]]] = defaultdict(list)
    for txn_id, account_id, merchant, raw, day, amount in rows:
        by_key[series_key(merchant or "", raw or "")].append((txn_id, account_id, day, amount))
    used: set[int] = set()
    result = []
    for occurrence in planned:
        series = occurrence.series
        tolerance = TOLERANCE_DAYS[series.interval]
        candidates = [row for key in series.keys for row in by_key.get(key, ())
                      if row[0] not in used
                      and (series.account_id is None or row[1] == series.account_id)
                      and abs((row[2] - occurrence.day).days) <= tolerance
                      and _amount_fits(row[3], series)]
        if candidates:
            txn_id, _account, day, amount = min(
                candidates, key=lambda r: abs((r[2] - occurrence.day).days))
            used.add(txn_id)
            result.append(_with(occurrence, PAID, txn_id, amount, day))
        elif occurrence.day + timedelta(days=tolerance) >= today:
            result.append(occurrence)
        elif series.last_seen is not None and series.last_seen > occurrence.day + timedelta(
                days=tolerance):
            result.append(_with(occurrence, MISSED))
        else:
            result.append(_with(occurrence, LATE))
    return result


def _with(o: Occurrence, status: str, txn_id: int | None = None, amount: Decimal | None = None,
          day: date | None = None) -> Occurrence:
    return Occurrence(o.series, o.day, o.expected_amount, o.amount_low, o.amount_high, status,
                      txn_id, amount, day)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=month_calendar.monthrange(first.year, first.month)[1])


@dataclass(frozen=True)
class MonthGrid:
    """A month as weeks of days (Monday first; None pads the first and last week)."""

    month: date
    weeks: list[list[date | None]]
    by_day: dict[date, list[Occurrence]]


def month_grid(month: date, bills: list[Occurrence]) -> MonthGrid:
    first, last = month_bounds(month)
    weeks = [[day if day and day.month == first.month else None for day in week]
             for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(
                 first.year, first.month)]
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for bill in bills:
        if first <= bill.day <= last:
            by_day[bill.day].append(bill)
    return MonthGrid(first, weeks, dict(by_day))
