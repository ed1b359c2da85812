"""Net worth now and over time, in the user's base currency, from SQL aggregates.

Net worth = assets - liabilities, where liabilities are what the liability accounts (cards, loans)
owe; equivalently the sum of all balances, since liabilities carry negative balances.
Only accounts marked "include in net worth" count. An account counts from its start (its opening
date, or its first transaction if that is earlier) with its opening balance. An archived account
counts up to and including the day of its last transaction and not after (nor in today's figure):
archive an account once it is closed so the history stays continuous.

The history never loads transactions: one grouped query gives each account's first and last day
and its total before the period, another gives the daily sums inside the period; balances are
then accumulated in Python over the days. Foreign-currency balances are converted at each day's
rate (latest on or before it); a day without a rate leaves that account out of the point, marks
the point incomplete and is reported as a `MissingRate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from finance_app.models.ledger import LIABILITY_TYPES, Account, Transaction
from finance_app.money import STORAGE_QUANTUM, ZERO, quantize
from finance_app.services.currency import MissingRate, RateProvider, TableRateProvider
from finance_app.services.scope import scoped

DAY, MONTH = "day", "month"
INTERVALS = (DAY, MONTH)


@dataclass(frozen=True)
class NetWorthPoint:
    day: date
    assets: Decimal
    liabilities: Decimal
    complete: bool = True

    @property
    def net(self) -> Decimal:
        return self.assets - self.liabilities


@dataclass
class NetWorthHistory:
    interval: str
    currency: str
    points: list[NetWorthPoint] = field(default_factory=list)
    missing: list[MissingRate] = field(default_factory=list)

    @property
    def latest(self) -> NetWorthPoint | None:
        return self.points[-1] if self.points else None

    @property
    def change(self) -> Decimal | None:
        """Net worth change from the first point to the last."""
        return self.points[-1].net - self.points[0].net if len(self.points) > 1 else None


@dataclass(frozen=True)
class _Window:
    account: Account
    begin: date
    until: date | None  # last counted day (archived accounts)
    before: Decimal  # opening balance plus all amounts before the period


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def sample_days(start: date, end: date, interval: str) -> list[date]:
    """Every day, or each month's last day (the last point being `end` itself)."""
    if start > end:
        return []
    if interval == DAY:
        return [start + timedelta(days=i) for i in range((end - start).days + 1)]
    days, cursor = [], _month_end(start)
    while cursor < end:
        days.append(cursor)
        cursor = _month_end(cursor + timedelta(days=1))
    days.append(end)
    return days


def _windows(
    session: Session, user_id: int, accounts: Sequence[Account], start: date | None
) -> list[_Window]:
    ids = [a.id for a in accounts]
    before_start = (
        case((Transaction.date < start, Transaction.amount), else_=0) if start else None
    )
    columns = [Transaction.account_id, func.min(Transaction.date), func.max(Transaction.date)]
    if before_start is not None:
        columns.append(func.coalesce(func.sum(before_start), 0))
    stats = {
        row[0]: row for row in session.execute(
            select(*columns)
            .where(Transaction.user_id == user_id, Transaction.account_id.in_(ids))
            .group_by(Transaction.account_id)
        )
    }
    windows = []
    for account in accounts:
        row = stats.get(account.id)
        opened = account.opening_date or account.created_at.date()
        first, last = (row[1], row[2]) if row else (None, None)
        begin = min(opened, first) if first else opened
        if account.is_archived and last is None:
            continue  # archived with no activity: never part of net worth
        before = account.opening_balance + (Decimal(row[3]) if row and start else ZERO)
        windows.append(_Window(account, begin, last if account.is_archived else None, before))
    return windows


def _daily_sums(
    session: Session, user_id: int, ids: Sequence[int], start: date | None, end: date
) -> dict[date, list[tuple[int, Decimal]]]:
    query = (
        select(Transaction.date, Transaction.account_id, func.sum(Transaction.amount))
        .where(Transaction.user_id == user_id, Transaction.account_id.in_(ids),
               Transaction.date <= end)
        .group_by(Transaction.date, Transaction.account_id)
    )
    if start is not None:
        query = query.where(Transaction.date >= start)
    by_day: dict[date, list[tuple[int, Decimal]]] = {}
    for day, account_id, total in session.execute(query):
        by_day.setdefault(day, []).append((account_id, Decimal(total)))
    return by_day


def net_worth_history(
    session: Session, user_id: int, currency: str, interval: str = MONTH,
    start: date | None = None, end: date | None = None, provider: RateProvider | None = None,
) -> NetWorthHistory:
    """Net worth at each day (or month end) from `start` (default: the first account's start)."""
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    end = end or date.today()
    history = NetWorthHistory(interval, currency)
    accounts = list(session.scalars(
        scoped(Account, user_id).where(Account.include_in_net_worth.is_(True))
    ))
    windows = _windows(session, user_id, accounts, start) if accounts else []
    if not windows:
        return history
    earliest = min(w.begin for w in windows)
    first_day = max(start, earliest) if start else earliest
    days = sample_days(first_day, end, interval)
    if not days:
        return history
    rates = _rates(provider or TableRateProvider(session, user_id), windows, days, currency)
    by_day = _daily_sums(session, user_id, [w.account.id for w in windows], start, end)
    running = {w.account.id: w.before for w in windows}
    first_missing: dict[str, date] = {}
    activity, position = sorted(by_day), 0
    for sample in days:
        while position < len(activity) and activity[position] <= sample:
            for account_id, amount in by_day[activity[position]]:
                running[account_id] += amount
            position += 1
        history.points.append(_point(sample, windows, running, rates, currency, first_missing))
    history.missing = [MissingRate(c, currency, d) for c, d in sorted(first_missing.items())]
    return history


def _rates(
    provider: RateProvider, windows: Sequence[_Window], days: Sequence[date], currency: str
) -> dict[str, dict]:
    foreign = {w.account.currency for w in windows if w.account.currency != currency}
    return {ccy: provider.rates_for(days, ccy, currency) for ccy in sorted(foreign)}


def _point(
    sample: date, windows: Sequence[_Window], running: dict[int, Decimal], rates: dict[str, dict],
    currency: str, first_missing: dict[str, date],
) -> NetWorthPoint:
    assets = liabilities = ZERO
    complete = True
    for window in windows:
        if sample < window.begin or (window.until is not None and sample > window.until):
            continue
        balance = running[window.account.id]
        ccy = window.account.currency
        if ccy != currency:
            rate = rates[ccy][sample]
            if rate is None:
                complete = False
                first_missing[ccy] = min(sample, first_missing.get(ccy, sample))
                continue
            balance = quantize(balance * rate.value, STORAGE_QUANTUM)
        if window.account.type in LIABILITY_TYPES:
            liabilities -= balance
        else:
            assets += balance
    return NetWorthPoint(sample, assets, liabilities, complete)


def net_worth_now(
    session: Session, user_id: int, currency: str, on_date: date | None = None
) -> NetWorthHistory:
    """Today's figure as a one-point history (same rules as the history's last point)."""
    day = on_date or date.today()
    return net_worth_history(session, user_id, currency, DAY, start=day, end=day)


def chart_data(history: NetWorthHistory) -> dict:
    """The history as JSON-able strings for the chart (amounts rounded to cents)."""
    return {
        "currency": history.currency,
        "labels": [p.day.isoformat() for p in history.points],
        "net": [str(quantize(p.net)) for p in history.points],
        "assets": [str(quantize(p.assets)) for p in history.points],
        "liabilities": [str(quantize(p.liabilities)) for p in history.points],
    }
