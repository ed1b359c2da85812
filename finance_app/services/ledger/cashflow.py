"""Money in and out over time: income, spending and savings rate of a range and the months
before it, and the weekly / monthly / yearly trend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.db import DbSession
from finance_app.models.ledger import EXPENSE, INCOME
from finance_app.money import ZERO
from finance_app.services.ledger.lines import (
    Aggregate,
    aggregate,
    bucket,
    dialect_of,
)
from finance_app.services.ledger.periods import (
    GRANULARITIES,
    MONTH,
    WEEK,
    YEAR,
    add_periods,
    period_end,
    period_start,
)
from finance_app.services.ledger.query import (
    LedgerQuery,
    as_date,
    savings_rate,
    view_of,
)
from finance_app.services.ledger.spans import span_totals
from finance_app.services.ledger.summary import LedgerView, summarize

# How many buckets a trend shows at least, and at most.
TREND_MIN = {WEEK: 12, MONTH: 12, YEAR: 5}
TREND_MAX = {WEEK: 104, MONTH: 120, YEAR: 30}


@dataclass(frozen=True)
class CashflowPoint:
    start: date
    end: date
    income: Decimal
    expense: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expense

    @property
    def savings_rate(self) -> Decimal | None:
        return savings_rate(self.income, self.expense)


@dataclass(frozen=True)
class Cashflow:
    period: CashflowPoint
    months: tuple[CashflowPoint, ...]
    missing_rates: frozenset[str]


def _income_expense(totals: dict[tuple, Any], *prefix: Any) -> tuple[Decimal, Decimal]:
    income = totals.get((*prefix, INCOME))
    expense = totals.get((*prefix, EXPENSE))
    return (income.amount if income else ZERO), -(expense.amount if expense else ZERO)


def cashflow(session: DbSession, q: LedgerQuery, view: LedgerView | None = None) -> Cashflow:
    """Income, spending and savings rate of the range, and of the 12 months ending with it."""
    view = view_of(session, q, view)
    last = period_start(q.range.end, MONTH)
    first = add_periods(last, MONTH, -11)
    whole = span_totals(session, q, view, [("range", q.range)], lambda line: (line.kind,),
                        lambda ln: [ln.c.kind])
    income, expense = _income_expense(whole.totals, "range")
    if q.is_narrowed:
        by_month = _narrowed_buckets(session, q, view, MONTH, first, period_end(last, MONTH))
    else:
        by_month = summarize(view.lines((first, last)), view.rates,
                             lambda line: (line.month, line.kind), q.account_ids)
    months = []
    for n in range(12):
        start = add_periods(first, MONTH, n)
        inc, exp = _income_expense(by_month.totals, start)
        months.append(CashflowPoint(start, period_end(start, MONTH), inc, exp))
    return Cashflow(
        CashflowPoint(q.range.start, q.range.end, income, expense), tuple(months),
        frozenset(whole.missing_rates | by_month.missing_rates),
    )


@dataclass(frozen=True)
class Trend:
    granularity: str
    points: tuple[CashflowPoint, ...]


def trend(session: DbSession, q: LedgerQuery, granularity: str,
          view: LedgerView | None = None) -> Trend:
    """Income and spending per week, month or year up to the end of the range."""
    if granularity not in GRANULARITIES:
        granularity = MONTH
    view = view_of(session, q, view)
    last = period_start(q.range.end, granularity)
    first = period_start(q.range.start, granularity)
    span = 0
    cursor = first
    while cursor < last:
        cursor = add_periods(cursor, granularity, 1)
        span += 1
    count = min(max(span + 1, TREND_MIN[granularity]), TREND_MAX[granularity])
    first = add_periods(last, granularity, -(count - 1))
    if granularity == WEEK or q.is_narrowed:  # weeks cut through months: count their days
        totals = _narrowed_buckets(session, q, view, granularity, first,
                                   period_end(last, granularity)).totals
    else:
        totals = summarize(
            view.lines((first, period_end(last, granularity))), view.rates,
            lambda line: (period_start(line.month, granularity), line.kind), q.account_ids,
        ).totals
    points = []
    for n in range(count):
        start = add_periods(first, granularity, n)
        income, expense = _income_expense(totals, start)
        points.append(CashflowPoint(start, period_end(start, granularity), income, expense))
    return Trend(granularity, tuple(points))


def _narrowed_buckets(session: DbSession, q: LedgerQuery, view: LedgerView, granularity: str,
                      first: date, last: date) -> Aggregate:
    """Income and spending per (period start, kind) from the days between first and last."""
    dialect = dialect_of(session)
    agg = aggregate(
        session, q.ledger.between(first, last), view.rates,
        lambda ln: [bucket(ln.c.date, granularity, dialect), ln.c.kind],
    )
    result = Aggregate(missing_rates=agg.missing_rates)
    for key, total in agg.totals.items():
        result.totals[(as_date(key[0]), key[1])] = total
    return result


def monthly(session: DbSession, q: LedgerQuery, view: LedgerView | None = None
            ) -> tuple[CashflowPoint, ...]:
    """Income and spending of each calendar month of the range, the first and last month cut to
    the range's own days (so the months add up to the range's figures)."""
    view = view_of(session, q, view)
    if q.range.months and not q.is_narrowed:
        totals = summarize(view.lines((q.range.start, q.range.end)), view.rates,
                           lambda line: (line.month, line.kind), q.account_ids).totals
    else:
        dialect = dialect_of(session)
        agg = aggregate(session, q.ledger, view.rates,
                        lambda ln: [bucket(ln.c.date, MONTH, dialect), ln.c.kind])
        totals = {(as_date(k[0]), k[1]): v for k, v in agg.totals.items()}
    points = []
    start = period_start(q.range.start, MONTH)
    while start <= q.range.end:
        income, expense = _income_expense(totals, start)
        points.append(CashflowPoint(max(start, q.range.start),
                                    min(period_end(start, MONTH), q.range.end), income, expense))
        start = add_periods(start, MONTH, 1)
    return tuple(points)


def count_transactions(session: DbSession, q: LedgerQuery,
                       view: LedgerView | None = None) -> int:
    """How many transactions count in the range (a split one once; transfers and excluded rows
    not at all), by the rules of ledger.lines."""
    view = view_of(session, q, view)
    # No keys: groups are (currency, day of rate), and a transaction lies in exactly one.
    agg = aggregate(session, q.ledger, view.rates, lambda ln: [])
    return sum(total.count for total in agg.totals.values())
