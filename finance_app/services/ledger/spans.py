"""Totals over named date ranges that need not follow calendar months ("the last 5 years to
today", "the same 34 days of last year"): the whole months inside each range come from the
monthly summary (cached per ledger version), only the days around them from the ledger lines.

A range of five years to today is then 59 cached months and two short runs of days, instead of
five years of rows read again after every write. Lines are given to the first range holding
their day, as a CASE over the ranges would, and each day is read exactly once, so the totals
are those of ledger.lines.aggregate to the last digit (amounts in another currency are still
converted per day: the summary keeps their day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, case, literal
from sqlalchemy.sql.expression import ColumnElement

from finance_app.db import DbSession
from finance_app.services.ledger.lines import Aggregate, aggregate
from finance_app.services.ledger.periods import MONTH, DateRange, add_periods, period_start
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.summary import LedgerView, SummaryLine, summarize

Span = tuple[str, DateRange]


def _minus(r: DateRange, taken: DateRange) -> list[DateRange]:
    """The days of `r` outside `taken` (none, one or two ranges)."""
    if taken.end < r.start or taken.start > r.end:
        return [r]
    left = [DateRange(r.start, taken.start - timedelta(days=1))] if r.start < taken.start else []
    right = [DateRange(taken.end + timedelta(days=1), r.end)] if taken.end < r.end else []
    return left + right


def first_match(spans: Sequence[Span]) -> list[Span]:
    """Disjoint pieces: each range without the days an earlier range already holds."""
    pieces: list[Span] = []
    for name, r in spans:
        remaining = [r]
        for _, taken in pieces:
            remaining = [part for piece in remaining for part in _minus(piece, taken)]
        pieces += [(name, part) for part in remaining]
    return pieces


def whole_months(r: DateRange) -> tuple[DateRange | None, list[DateRange]]:
    """The calendar months wholly inside `r` (None when there are none), and the days of `r`
    before and after them."""
    day = timedelta(days=1)
    first = r.start if r.start.day == 1 else add_periods(period_start(r.start, MONTH), MONTH, 1)
    after = r.end + day if (r.end + day).day == 1 else period_start(r.end, MONTH)
    if first >= after:
        return None, [r]
    months = DateRange(first, after - day)
    edges = [DateRange(r.start, first - day)] if r.start < first else []
    if months.end < r.end:
        edges.append(DateRange(after, r.end))
    return months, edges


def span_totals(
    session: DbSession, q: LedgerQuery, view: LedgerView, spans: Sequence[Span],
    line_key: Callable[[SummaryLine], tuple | None],
    column_key: Callable[[Any], Sequence[ColumnElement[Any]]],
    where: Callable[[Any], Iterable[ColumnElement[bool]]] | None = None,
) -> Aggregate:
    """Totals keyed by (span name, *key): `line_key` keys a summary line (None leaves it out),
    `column_key` / `where` the same for the ledger lines of the days around whole months.

    A query narrowed to some transactions (a member, a search) has no summary: all its days are
    read from the lines."""
    month_pieces: list[Span] = []
    day_pieces: list[Span] = []
    for name, r in first_match(spans):
        months, edges = (None, [r]) if q.is_narrowed else whole_months(r)
        if months is not None:
            month_pieces.append((name, months))
        day_pieces += [(name, edge) for edge in edges]
    result = Aggregate()
    if month_pieces:
        def keyed(line: SummaryLine) -> tuple | None:
            key = line_key(line)
            if key is None:
                return None
            for name, r in month_pieces:
                if r.start <= line.month <= r.end:
                    return (name, *key)
            return None

        result = summarize(view.lines(*[(r.start, r.end) for _, r in month_pieces]),
                           view.rates, keyed, q.account_ids)
    if day_pieces:
        def which(ln: Any) -> Any:
            return case(*[(and_(ln.c.date >= r.start, ln.c.date <= r.end), literal(name))
                          for name, r in day_pieces])

        days = aggregate(session, q.ledger.only(tuple((r.start, r.end) for _, r in day_pieces)),
                         view.rates, lambda ln: [which(ln), *column_key(ln)], where)
        for key, total in days.totals.items():
            if key[0] is None:
                continue
            slot = result.totals[key]
            slot.amount += total.amount
            slot.count += total.count
        result.missing_rates |= days.missing_rates
    return result
