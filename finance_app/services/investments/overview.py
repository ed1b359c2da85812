"""What the investments pages, the CLI and the reports read: holdings, a holding's lots,
realized gains of a year, value over time and returns, each loaded through the Scope.

Amounts are in the investment accounts' currency (prices are taken to be in it too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.investment import FIFO, SPECIFIC, Security, Trade
from finance_app.models.ledger import Account
from finance_app.money import CENT, ZERO, quantize
from finance_app.services.investments import performance as perf
from finance_app.services.investments import records
from finance_app.services.investments.lots import (
    Disposal,
    Dividend,
    GainTotals,
    Lot,
    LotBook,
    disposals_in_year,
    gain_totals,
    is_long_term,
)
from finance_app.services.investments.portfolio import (
    Holding,
    Portfolio,
    Slice,
    allocation,
    holdings,
    value_history,
)
from finance_app.services.ledger.balances import MONTH, sample_days
from finance_app.services.scope import Scope

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Loaded:
    accounts: list[Account]
    securities: dict[str, Security]
    portfolio: Portfolio
    methods: dict[object, str]

    @property
    def currency(self) -> str:
        return self.accounts[0].currency if self.accounts else "USD"

    @property
    def mixed_currencies(self) -> bool:
        """Investment accounts in more than one currency: totals here are not converted."""
        return len({a.currency for a in self.accounts}) > 1

    def book(self, method: str | None = None) -> LotBook:
        """The lots by each account's method, or all by `method` (what-if, the CLI)."""
        if method:
            return self.portfolio.lots(method)
        return self.portfolio.lots(FIFO, self.methods)

    def kind_of(self, symbol: str) -> str:
        security = self.securities.get(symbol)
        return security.kind_label if security else "Stock"

    def account_name(self, account_id: object) -> str:
        return next((a.name for a in self.accounts if a.id == account_id), "")


def load(session: DbSession, scope: Scope) -> Loaded:
    accounts = records.list_investment_accounts(session, scope)
    ids = [a.id for a in accounts]
    events = records.trade_events(session, scope, ids)
    methods: dict[object, str] = {
        account_id: method for account_id, method in records.lot_methods(session, scope).items()}
    return Loaded(accounts, {s.symbol: s for s in records.list_securities(session, scope)},
                  Portfolio(events, records.price_book(session, scope)), methods)


# ---------------------------------------------------------------- holdings


@dataclass(frozen=True)
class HoldingsView:
    loaded: Loaded
    account: Account | None
    day: date
    rows: list[Holding]
    by_kind: list[Slice]
    by_symbol: list[Slice]

    @property
    def value(self) -> Decimal:
        return sum((h.value for h in self.rows), ZERO)

    @property
    def cost(self) -> Decimal:
        return sum((h.cost for h in self.rows), ZERO)

    @property
    def unrealized(self) -> Decimal:
        return self.value - self.cost


def _accounts(account: Account | None) -> list[object] | None:
    return [account.id] if account is not None else None


def holdings_view(session: DbSession, scope: Scope, day: date,
                  account_id: int | None = None) -> HoldingsView:
    loaded = load(session, scope)
    account = (records.get_investment_account(session, scope, account_id)
               if account_id is not None else None)
    rows = holdings(loaded.portfolio, loaded.book(), day, _accounts(account))
    return HoldingsView(loaded, account, day, rows,
                        allocation((loaded.kind_of(h.symbol), h.value) for h in rows),
                        allocation((h.symbol, h.value) for h in rows))


def investment_value(session: DbSession, scope: Scope, day: date) -> Decimal:
    """The market value of every security held on `day`, in the accounts' currency."""
    loaded = load(session, scope)
    return quantize(loaded.portfolio.value_on(day), CENT)


# ---------------------------------------------------------------- a holding's lots


@dataclass(frozen=True)
class LotRow:
    lot: Lot
    account_name: str
    value: Decimal | None
    long_term_today: bool  # whether selling it today would be a long-term gain

    @property
    def unrealized(self) -> Decimal | None:
        return None if self.value is None else self.value - self.lot.basis


@dataclass(frozen=True)
class SecurityLots:
    security: Security
    quote_day: date | None
    close: Decimal | None
    open_lots: list[LotRow]
    closed: list[Disposal]
    dividends: list[Dividend]
    currency: str
    trades: list[Trade]  # every trade of the security, newest first


def security_lots(session: DbSession, scope: Scope, security_id: int,
                  day: date) -> SecurityLots:
    security = records.get_security(session, scope, security_id)
    loaded = load(session, scope)
    book = loaded.book()
    found = loaded.portfolio.quote(security.symbol, day)
    rows = [LotRow(lot, loaded.account_name(lot.account),
                   quantize(lot.quantity * found.close, CENT) if found else None,
                   is_long_term(lot.day, day))
            for lot in sorted(book.open_lots(), key=lambda lot: lot.day)
            if lot.symbol == security.symbol]
    closed = sorted((d for d in book.disposals if d.symbol == security.symbol),
                    key=lambda d: (d.sold, d.acquired), reverse=True)
    dividends = [d for d in book.dividends if d.symbol == security.symbol]
    trades = [t for t in records.list_trades(session, scope, [a.id for a in loaded.accounts])
              if t.security_id == security.id]
    return SecurityLots(security, found.day if found else None, found.close if found else None,
                        rows, closed, sorted(dividends, key=lambda d: d.day, reverse=True),
                        loaded.currency, trades[::-1])


# ---------------------------------------------------------------- realized gains


@dataclass(frozen=True)
class GainsReport:
    year: int
    method: str | None  # None: each account's own method
    disposals: list[Disposal]
    totals: GainTotals
    dividends: Decimal
    reinvested: Decimal
    currency: str
    account_names: dict[object, str]
    years: list[int]


def realized_gains(session: DbSession, scope: Scope, year: int,
                   method: str | None = None) -> GainsReport:
    if method == SPECIFIC:
        method = None  # specific lots are each sale's own choice: the accounts' methods
    loaded = load(session, scope)
    book = loaded.book(method)
    sold = disposals_in_year(book, year)
    dividends = [d for d in book.dividends if d.day.year == year]
    # Every year from the first trade on, so a year without sales can be chosen too.
    first = loaded.portfolio.first_day
    known = {d.sold.year for d in book.disposals} | {d.day.year for d in book.dividends} | {year}
    years = sorted(known | set(range(first.year, max(known) + 1)) if first else known,
                   reverse=True)
    return GainsReport(year, method, sold, gain_totals(sold),
                       sum((d.amount for d in dividends), ZERO),
                       sum((d.amount for d in dividends if d.reinvested), ZERO),
                       loaded.currency, {a.id: a.name for a in loaded.accounts}, years)


def gains_line(totals: GainTotals) -> str:
    """The CLI's last line."""
    def two(value: Decimal) -> str:
        return f"{quantize(value, CENT):.2f}"
    return (f"proceeds={two(totals.proceeds)} cost={two(totals.cost)} "
            f"realized={two(totals.realized)} short_term={two(totals.short_term)} "
            f"long_term={two(totals.long_term)}")


FORM_8949_HEADER = (
    "(a) Description of property", "(b) Date acquired", "(c) Date sold or disposed of",
    "(d) Proceeds (sales price)", "(e) Cost or other basis",
    "(f) Code(s) from instructions", "(g) Amount of adjustment", "(h) Gain or (loss)", "Term",
    "Account",
)


def form_8949_rows(report: GainsReport) -> list[list]:
    """One row per closed piece of a lot, shaped like Form 8949's columns (a) to (h), short
    term first; a wash sale has code W and its disallowed loss as a positive adjustment."""
    rows = []
    for d in sorted(report.disposals, key=lambda d: (d.is_long_term, d.sold, d.symbol)):
        adjustment = quantize(d.wash_disallowed, CENT) if d.is_wash_sale else None
        gain = d.gain + (d.wash_disallowed if d.is_wash_sale else ZERO)
        rows.append([f"{d.quantity.normalize():f} sh. {d.symbol}", d.acquired, d.sold,
                     quantize(d.proceeds, CENT), quantize(d.cost, CENT),
                     "W" if d.is_wash_sale else "", adjustment, quantize(gain, CENT),
                     "Long-term" if d.is_long_term else "Short-term",
                     report.account_names.get(d.account, "")])
    return rows


# ---------------------------------------------------------------- value over time


def history_view(session: DbSession, scope: Scope, day: date,
                 account_id: int | None = None) -> tuple[Loaded, list[tuple[date, Decimal]]]:
    """Value at each month end from the first trade to `day` (the last point is `day`)."""
    loaded = load(session, scope)
    accounts = None
    if account_id is not None:
        accounts = [records.get_investment_account(session, scope, account_id).id]
    first = loaded.portfolio.first_day
    if first is None:
        return loaded, []
    return loaded, value_history(loaded.portfolio, sample_days(first, day, MONTH),
                                 accounts)


# ---------------------------------------------------------------- returns


@dataclass(frozen=True)
class PeriodReturn:
    period: str
    start: date
    twr: Decimal | None  # percent, 2 dp
    xirr: Decimal | None  # annual percent, 2 dp
    benchmark: Decimal | None  # the benchmark's price change over the period, percent
    # XIRR had the same money (start value and flows) gone into the benchmark, percent
    benchmark_xirr: Decimal | None = None


@dataclass(frozen=True)
class ReturnsRow:
    label: str
    periods: list[PeriodReturn]


def _percent(value: Decimal | None) -> Decimal | None:
    return None if value is None else quantize(value * HUNDRED, CENT)


def benchmark_change(portfolio: Portfolio, symbol: str, start: date, end: date
                     ) -> Decimal | None:
    """The benchmark's price change from `start` (or its first close, when that comes later
    within the period) to `end`."""
    since = portfolio.prices.first_day(symbol)
    if since is not None and start < since <= end:
        start = since
    first, last = portfolio.prices.close(symbol, start), portfolio.prices.close(symbol, end)
    if first is None or last is None or first == ZERO:
        return None
    return last / first - 1


def returns_of(portfolio: Portfolio, end: date, accounts: Sequence[object] | None,
               benchmark: str | None) -> list[PeriodReturn]:
    events = [e for e in portfolio.events if accounts is None or e.account in accounts]
    if not events:
        return []
    flows = portfolio.flows(accounts)

    def value_on(day: date) -> Decimal:
        return portfolio.value_on(day, accounts)

    def close_on(day: date) -> Decimal | None:
        return portfolio.prices.close(benchmark, day) if benchmark else None

    result = []
    for period in perf.PERIODS:
        start = perf.period_start(period, end, events[0].day)
        mirror = perf.mirrored_value(start, value_on(start), flows, close_on) \
            if benchmark else None
        result.append(PeriodReturn(
            period, start, _percent(perf.time_weighted_return(start, end, value_on, flows)),
            _percent(perf.money_weighted_return(start, end, value_on, flows)),
            _percent(benchmark_change(portfolio, benchmark, start, end)) if benchmark
            else None,
            _percent(perf.money_weighted_return(start, end, mirror, flows)) if mirror
            else None))
    return result


@dataclass(frozen=True)
class ReturnsView:
    rows: list[ReturnsRow]
    benchmark: str | None
    benchmarks: list[str]
    day: date


def returns_view(session: DbSession, scope: Scope, day: date,
                 benchmark: str | None = None) -> ReturnsView:
    """TWR and XIRR of each investment account and of all together, for every period."""
    loaded = load(session, scope)
    choices = loaded.portfolio.prices.symbols
    if benchmark not in choices:
        benchmark = "VTI" if "VTI" in choices else (choices[0] if choices else None)
    rows = [ReturnsRow("All accounts", returns_of(loaded.portfolio, day, None, benchmark))]
    for account in loaded.accounts:
        periods = returns_of(loaded.portfolio, day, [account.id], benchmark)
        if periods:
            rows.append(ReturnsRow(account.name, periods))
    if not rows[0].periods:
        rows = []
    return ReturnsView(rows, benchmark, choices, day)


# ---------------------------------------------------------------- the tax summary


@dataclass(frozen=True)
class TaxFigures:
    """Realized gains and dividends between two days, for the reports' tax summary."""

    totals: GainTotals
    dividends: Decimal
    reinvested: Decimal
    currency: str


def tax_figures(session: DbSession, scope: Scope, start: date, end: date) -> TaxFigures | None:
    """None when the household has no trades (the summary then has nothing to add)."""
    loaded = load(session, scope)
    if not loaded.portfolio.events:
        return None
    book = loaded.book()
    sold = [d for d in book.disposals if start <= d.sold <= end]
    paid = [d for d in book.dividends if start <= d.day <= end]
    return TaxFigures(gain_totals(sold), sum((d.amount for d in paid), ZERO),
                      sum((d.amount for d in paid if d.reinvested), ZERO), loaded.currency)
