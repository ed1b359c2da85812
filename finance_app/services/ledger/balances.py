"""Account balances and net worth, now and over time, in a base currency, from SQL aggregates.

The one engine for balances: the accounts list, an account's page, the net-worth page, the
dashboard and every later feature read these functions.

Balance rule: balance = opening balance + the sum of every transaction of the account dated on
or before the day, pending and excluded ones included (an investment account adds the market
value of the securities it holds that day). "Excluded" only keeps a row out of
spending reports and budgets; the money still moved, so it still moves the balance. Pending rows
are counted too (as banks show an available balance) and reported separately so a page can say
"includes $12.00 pending". Split lines never change a balance: their parent's amount is what
moved. Liabilities (credit cards, loans: the account's type decides, never the sign of its
balance) carry negative balances while money is owed.

Net worth = assets - liabilities, where liabilities are what the liability accounts (cards, loans)
owe; equivalently the sum of all balances, since liabilities carry negative balances.
Only accounts marked "include in net worth" count. An investment account counts its cash (its
transactions) plus the market value of the securities it holds that day, from its trades and
prices (services/investments/valuation.py). An account counts from its start (its opening
date, or its first transaction if that is earlier) with its opening balance. An archived account
counts up to and including the day of its last transaction and not after (nor in today's figure):
archive an account once it is closed so the history stays continuous.

The history never loads transactions: one grouped query gives the sums per account and day
(a few thousand rows for years of data); each account's first and last day, its total before
the period and the balances over the days are then accumulated in Python. A covering index on
transactions (scope, account_id, date, amount, is_pending) keeps that query index-only.
Foreign-currency balances are converted at each day's rate (latest on or before it); a day
without a rate leaves that account out of the point, marks the point incomplete and is
reported as a `MissingRate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import case, func, null, select

from finance_app.db import DbSession
from finance_app.models.ledger import LIABILITY_TYPES, Account, Transaction
from finance_app.money import STORAGE_QUANTUM, ZERO, quantize
from finance_app.services.investments.valuation import securities_values
from finance_app.services.ledger.lines import bucket, dialect_of
from finance_app.services.ledger.periods import MONTH as MONTH_PERIOD
from finance_app.services.ledger.rates import MissingRate, RateProvider, TableRateProvider
from finance_app.services.scope import Scope, scope_filter, scoped

DAY, MONTH = "day", "month"
INVESTMENT = "investment"  # an account type whose securities count at market value
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


@dataclass(frozen=True)
class Balance:
    """An account's computed balance and what it is made of."""

    balance: Decimal
    transaction_count: int
    pending_count: int
    pending_total: Decimal
    last_date: date | None
    securities: Decimal = ZERO  # an investment account's holdings at market value, included



def account_balances(
    session: DbSession, scope: Scope, accounts: Sequence[Account], as_of: date | None = None,
) -> dict[int, Balance]:
    """Balances of `accounts` on `as_of` (every row when None) in one grouped query."""
    ids = [a.id for a in accounts if a.household_id == scope.household_id
           and a.id not in scope.hidden_account_ids]
    if not ids:
        return {}
    rows = session.execute(
        select(
            Transaction.account_id,
            func.coalesce(func.sum(Transaction.amount), 0),
            func.count(),
            func.coalesce(func.sum(case((Transaction.is_pending.is_(True), 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((Transaction.is_pending.is_(True), Transaction.amount), else_=0)), 0
            ),
            func.max(Transaction.date),
        )
        .where(scope_filter(Transaction, scope), Transaction.account_id.in_(ids),
               *([Transaction.date <= as_of] if as_of is not None else []))
        .group_by(Transaction.account_id)
    ).all()
    # SUM() of a Money column is typed Money, so the totals come back as exact Decimals.
    sums = {r[0]: r for r in rows}
    result = {}
    for account in accounts:
        if account.id not in sums:
            result[account.id] = Balance(account.opening_balance, 0, 0, ZERO, None)
            continue
        _, total, count, pending_count, pending_total, last = sums[account.id]
        result[account.id] = Balance(
            balance=account.opening_balance + Decimal(total), transaction_count=int(count),
            pending_count=int(pending_count), pending_total=Decimal(pending_total),
            last_date=last,
        )
    return _with_securities(session, scope, accounts, result, as_of or date.today())


def _with_securities(session: DbSession, scope: Scope, accounts: Sequence[Account],
                     result: dict[int, Balance], day: date) -> dict[int, Balance]:
    """An investment account's balance includes its securities at market value on `day`, as
    its net worth does (`_securities`)."""
    ids = [a.id for a in accounts if a.type == INVESTMENT and a.id in result]
    if not ids:
        return result
    for account_id, values in securities_values(session, scope, ids, [day]).items():
        found = result[account_id]
        result[account_id] = replace(found, balance=found.balance + values[day],
                                     securities=values[day])
    return result


class _DaySum(NamedTuple):
    account_id: int
    day: date | None  # None: every day before the history's start, summed
    total: Decimal
    first: date
    last: date


def _daily_sums(
    session: DbSession, scope: Scope, ids: Sequence[int], start: date | None,
    monthly_to: date | None = None,
) -> list[_DaySum]:
    """(account, day, sum) for every day with activity from `start` on, and one row per
    account for everything before it: one grouped, index-only scan (today's net worth reads a
    row per account, not one per day of its history).

    `monthly_to`: the history samples month ends up to this day, so the days of a month up to
    it are summed as one row dated the month's sample (sixty rows an account for five years
    instead of a row per day); days after it keep their own row (they are never sampled)."""
    day: Any = Transaction.date
    if monthly_to is not None:
        month = bucket(Transaction.date, MONTH_PERIOD, dialect_of(session))
        day = case((Transaction.date > monthly_to, Transaction.date), else_=month)
    if start is not None:
        day = case((Transaction.date < start, null()), else_=day)
    # Core execution on the session's connection: plain rows, no ORM result machinery.
    rows = session.connection().execute(
        select(Transaction.account_id, day, func.sum(Transaction.amount),
               func.min(Transaction.date), func.max(Transaction.date))
        .where(scope_filter(Transaction, scope), Transaction.account_id.in_(ids))
        .group_by(Transaction.account_id, day)
    )
    sums = [_DaySum(account_id, _as_date(bucket_day), Decimal(total), _as_date(low),
                    _as_date(high)) for account_id, bucket_day, total, low, high in rows]
    if monthly_to is None:
        return sums
    # A month's row stands at the month's sample: its last day, or `monthly_to` itself.
    return [s if s.day is None or s.day > monthly_to
            else s._replace(day=min(_month_end(s.day), monthly_to)) for s in sums]


def _as_date(value: Any) -> Any:
    """SQLite hands back a CASE or MIN over dates as text."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _windows(accounts: Sequence[Account], sums: Sequence[_DaySum]) -> list[_Window]:
    first: dict[int, date] = {}
    last: dict[int, date] = {}
    before: dict[int, Decimal] = {}
    for account_id, day, total, low, high in sums:
        if account_id not in first or low < first[account_id]:
            first[account_id] = low
        if account_id not in last or high > last[account_id]:
            last[account_id] = high
        if day is None:
            before[account_id] = before.get(account_id, ZERO) + total
    windows = []
    for account in accounts:
        opened = account.opening_date or account.created_at.date()
        begin = min(opened, first[account.id]) if account.id in first else opened
        if account.is_archived and account.id not in last:
            continue  # archived with no activity: never part of net worth
        windows.append(_Window(
            account, begin, last[account.id] if account.is_archived else None,
            account.opening_balance + before.get(account.id, ZERO),
        ))
    return windows


def net_worth_history(
    session: DbSession, scope: Scope, currency: str, interval: str = MONTH,
    start: date | None = None, end: date | None = None, provider: RateProvider | None = None,
    account_ids: Sequence[int] = (), scoped_accounts: Sequence[Account] | None = None,
) -> NetWorthHistory:
    """Net worth at each day (or month end) from `start` (default: the first account's start),
    of every account that counts or only of `account_ids`. `scoped_accounts`: the scope's
    accounts when the caller has already loaded them (one query fewer)."""
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}")
    end = end or date.today()
    history = NetWorthHistory(interval, currency)
    if scoped_accounts is not None:
        wanted = set(account_ids)
        accounts = [a for a in scoped_accounts if a.include_in_net_worth
                    and (not wanted or a.id in wanted)]
    else:
        query = scoped(Account, scope).where(Account.include_in_net_worth.is_(True))
        if account_ids:
            query = query.where(Account.id.in_(account_ids))
        accounts = list(session.scalars(query))
    monthly_to = end if interval == MONTH else None
    sums = (_daily_sums(session, scope, [a.id for a in accounts], start, monthly_to)
            if accounts else [])
    windows = _windows(accounts, sums)
    if not windows:
        return history
    earliest = min(w.begin for w in windows)
    first_day = max(start, earliest) if start else earliest
    days = sample_days(first_day, end, interval)
    if not days:
        return history
    rates = _rates(provider or TableRateProvider(session, scope), windows, days, currency)
    by_day: dict[date, list[tuple[int, Decimal]]] = {}
    for account_id, day, total, _, _ in sums:
        if day is not None and day <= end:
            by_day.setdefault(day, []).append((account_id, total))
    running = {w.account.id: w.before for w in windows}
    held = _securities(session, scope, windows, days)
    first_missing: dict[str, date] = {}
    activity, position = sorted(by_day), 0
    for sample in days:
        while position < len(activity) and activity[position] <= sample:
            for account_id, amount in by_day[activity[position]]:
                running[account_id] += amount
            position += 1
        history.points.append(_point(sample, windows, running, rates, currency, first_missing,
                                     held))
    history.missing = [MissingRate(c, currency, d) for c, d in sorted(first_missing.items())]
    return history


def _rates(
    provider: RateProvider, windows: Sequence[_Window], days: Sequence[date], currency: str
) -> dict[str, dict]:
    foreign = {w.account.currency for w in windows if w.account.currency != currency}
    return {ccy: provider.rates_for(days, ccy, currency) for ccy in sorted(foreign)}


def _securities(session: DbSession, scope: Scope, windows: Sequence[_Window],
                days: Sequence[date]) -> dict[int, dict[date, Decimal]]:
    """The market value of the securities each investment account holds on each day: an
    investment account is worth its cash (the transactions) plus its holdings."""
    ids = [w.account.id for w in windows if w.account.type == INVESTMENT]
    if not ids:
        return {}
    return securities_values(session, scope, ids, days)


def _point(
    sample: date, windows: Sequence[_Window], running: dict[int, Decimal], rates: dict[str, dict],
    currency: str, first_missing: dict[str, date],
    held: dict[int, dict[date, Decimal]] | None = None,
) -> NetWorthPoint:
    assets = liabilities = ZERO
    complete = True
    for window in windows:
        if sample < window.begin or (window.until is not None and sample > window.until):
            continue
        balance = running[window.account.id]
        if held and window.account.id in held:
            balance += held[window.account.id][sample]
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
    session: DbSession, scope: Scope, currency: str, on_date: date | None = None
) -> NetWorthHistory:
    """Today's figure as a one-point history (same rules as the history's last point)."""
    day = on_date or date.today()
    return net_worth_history(session, scope, currency, DAY, start=day, end=day)
