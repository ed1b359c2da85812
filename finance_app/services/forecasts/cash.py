"""The cash balance of each checking, savings and cash account for the next 90 days.

Two parts, added day by day from today's balance:

- the known items: the household's recurring bills, subscriptions and pay (the bills feature's
  series, `recurring.calendar.upcoming_occurrences`) on the days they are due, each with its
  expected amount and range;
- the rest: everything else that moves the account, as a monthly amount learnt like a spending
  category (`monthly.estimate`: the median of its last six months plus consistent seasons, with
  the range of its own past errors), spread evenly over each day of the month.

The range at a day is the known items' ranges so far plus the rest's monthly range times the
square root of the months gone by (its months' errors partly cancel out): wide where the
history is irregular, narrow where the account only pays known bills.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.ledger import Account
from finance_app.money import ZERO, quantize
from finance_app.services.forecasts.monthly import Estimate, estimate
from finance_app.services.ledger.balances import account_balances
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.periods import MONTH, add_periods
from finance_app.services.ledger.rates import convert_many
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.recurring.calendar import Occurrence, upcoming_occurrences
from finance_app.services.scope import Scope, scoped

CASH_TYPES = ("checking", "savings", "cash")
HORIZONS = (30, 60, 90)
HISTORY_MONTHS = 24
DAYS_PER_MONTH = Decimal("30.4375")
PER_MONTH = {"weekly": Decimal("52") / 12, "biweekly": Decimal("26") / 12,
             "semi_monthly": Decimal(2), "monthly": Decimal(1),
             "quarterly": Decimal(1) / 3, "yearly": Decimal(1) / 12}


@dataclass(frozen=True, slots=True)
class BalancePoint:
    day: date
    balance: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class AccountForecast:
    account_id: int
    name: str
    currency: str
    today: Decimal
    points: tuple[BalancePoint, ...]  # one per day, tomorrow first
    known: tuple[Occurrence, ...]  # the recurring items placed on their days
    rest: Estimate  # a month of everything else (positive: money in)

    def at(self, days: int) -> BalancePoint:
        return self.points[min(days, len(self.points)) - 1]

    @property
    def lowest(self) -> BalancePoint:
        return min(self.points, key=lambda p: (p.balance, p.day))


@dataclass(frozen=True, slots=True)
class CashTotal:
    """Every cash account together in the base currency, a foreign account at today's rate
    (the latest on or before today; one with no rate is left out and named)."""

    currency: str
    points: tuple[BalancePoint, ...]
    today: Decimal
    converted: tuple[str, ...]  # names of the accounts converted into `currency`
    left_out: tuple[str, ...]  # names of the accounts with no rate

    def at(self, days: int) -> BalancePoint:
        return self.points[min(days, len(self.points)) - 1]

    @property
    def lowest(self) -> BalancePoint:
        return min(self.points, key=lambda p: (p.balance, p.day))


@dataclass(frozen=True, slots=True)
class CashForecast:
    today: date
    accounts: tuple[AccountForecast, ...]
    total: CashTotal | None = None  # None with no accounts

    @property
    def is_empty(self) -> bool:
        return not self.accounts

    def in_currency(self, currency: str) -> tuple[AccountForecast, ...]:
        return tuple(a for a in self.accounts if a.currency == currency)


def _total(session: DbSession, scope: Scope, accounts: list[AccountForecast], currency: str,
           today: date) -> CashTotal:
    """The accounts summed day by day (ranges too: the widest honest band, as the accounts'
    errors are not known to cancel), each foreign one converted exactly at today's rate."""
    days = len(accounts[0].points)
    balance, low, high = [ZERO] * days, [ZERO] * days, [ZERO] * days
    start = ZERO
    converted, left_out = [], []
    for account in accounts:
        values = [account.today] + [v for p in account.points for v in (p.balance, p.low, p.high)]
        if account.currency != currency:
            amounts = convert_many(session, scope, [(v, account.currency, today) for v in values],
                                   currency).amounts
            if any(a is None for a in amounts):
                left_out.append(account.name)
                continue
            values = [a for a in amounts if a is not None]
            converted.append(account.name)
        start += values[0]
        for i in range(days):
            balance[i] += values[1 + 3 * i]
            low[i] += values[2 + 3 * i]
            high[i] += values[3 + 3 * i]
    points = tuple(BalancePoint(p.day, quantize(balance[i]), quantize(low[i]), quantize(high[i]))
                   for i, p in enumerate(accounts[0].points))
    return CashTotal(currency, points, quantize(start), tuple(converted), tuple(left_out))


def _month_flows(view: LedgerView, account_id: int, months: list[date]) -> list[Decimal]:
    return [view.month(m).accounts.get(account_id, ZERO) for m in months]


def _recurring_per_month(known_series: dict[int, Occurrence]) -> Decimal:
    return sum((o.series.expected_amount * PER_MONTH.get(o.series.interval, Decimal(1))
                for o in known_series.values()), ZERO)


def forecast_cash(session: DbSession, scope: Scope, base_currency: str, today: date,
                  days: int = max(HORIZONS), cache: LedgerCache | None = None) -> CashForecast:
    accounts = list(session.scalars(scoped(Account, scope).where(
        Account.type.in_(CASH_TYPES), Account.is_archived.is_(False)).order_by(Account.name)))
    if not accounts:
        return CashForecast(today, ())
    balances = account_balances(session, scope, accounts, as_of=today)
    end = today + timedelta(days=days)
    upcoming = upcoming_occurrences(session, scope, today + timedelta(days=1), end, today)
    # A year back too, to know each account's series for the monthly equivalent.
    this_month = today.replace(day=1)
    months = [add_periods(this_month, MONTH, -k) for k in range(HISTORY_MONTHS, 0, -1)]
    view = LedgerView(session, scope, base_currency, cache)
    view.expect((months[0], this_month - timedelta(days=1)))

    results = []
    for account in accounts:
        known = [o for o in upcoming if o.series.account_id == account.id]
        series = {o.series.id: o for o in known}
        flows = _month_flows(view, account.id, months)
        first = next((i for i, v in enumerate(flows) if v), len(flows))
        recurring = _recurring_per_month(series)
        rest_history = [v - recurring for v in flows[first:]]
        rest = (estimate(rest_history, signed=True) if len(rest_history) >= 3
                else Estimate(ZERO, ZERO, ZERO))
        start = balances[account.id].balance if account.id in balances else ZERO
        by_day: dict[date, list[Occurrence]] = {}
        for o in known:
            by_day.setdefault(o.day, []).append(o)
        points = []
        rest_so_far = known_sum = known_low = known_high = ZERO
        day = today
        for offset in range(1, days + 1):
            day += timedelta(days=1)
            rest_so_far += rest.amount / Decimal(monthrange(day.year, day.month)[1])
            for o in by_day.get(day, []):
                known_sum += o.expected_amount
                known_low += min(o.amount_low, o.amount_high)
                known_high += max(o.amount_low, o.amount_high)
            # Months of the rest's errors do not all fall on the same side: the range grows
            # with the square root of the months gone by, not with the months.
            spread = (Decimal(offset) / DAYS_PER_MONTH).sqrt()
            balance = start + known_sum + rest_so_far
            low = start + known_low + rest_so_far + (rest.low - rest.amount) * spread
            high = start + known_high + rest_so_far + (rest.high - rest.amount) * spread
            points.append(BalancePoint(day, quantize(balance), quantize(min(low, balance)),
                                       quantize(max(high, balance))))
        results.append(AccountForecast(
            account.id, account.name, account.currency,
            start, tuple(points), tuple(known), rest))
    return CashForecast(today, tuple(results),
                        _total(session, scope, results, base_currency, today))
