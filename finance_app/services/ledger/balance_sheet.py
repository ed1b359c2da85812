"""Balances of each account and net worth as of a query's day, with its 12-month history."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.ledger import Account
from finance_app.money import ZERO
from finance_app.services.ledger.balances import MONTH as BALANCE_MONTH
from finance_app.services.ledger.balances import NetWorthPoint, account_balances, net_worth_history
from finance_app.services.ledger.periods import (
    MONTH,
    add_periods,
    period_start,
)
from finance_app.services.ledger.query import (
    LedgerQuery,
)
from finance_app.services.ledger.rates import Converter, TableRateProvider
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.scope import scoped


@dataclass(frozen=True)
class AccountBalance:
    account_id: int
    name: str
    type_label: str
    currency: str
    balance: Decimal
    converted: Decimal | None
    is_liability: bool


@dataclass(frozen=True)
class Balances:
    accounts: tuple[AccountBalance, ...]
    history: tuple[NetWorthPoint, ...]
    missing_rates: frozenset[str] = field(default_factory=frozenset)

    @property
    def net_worth(self) -> Decimal:
        return self.history[-1].net if self.history else ZERO


def balances(session: DbSession, q: LedgerQuery, view: LedgerView | None = None) -> Balances:
    """Every account's balance on the balance date and net worth month by month up to it: both
    from the ledger's balance engine, so the figures are the net-worth page's and the accounts
    list's to the cent (twelve months, more when the range starts earlier)."""
    every = list(session.scalars(
        scoped(Account, q.scope).order_by(Account.is_archived, Account.name)
    ))
    accounts = every
    if q.account_ids:
        accounts = [a for a in accounts if a.id in q.account_ids]
    as_of = q.as_of
    last = period_start(as_of, MONTH)
    first = add_periods(last, MONTH, -11)
    if q.range.start < first:
        first = max(period_start(q.range.start, MONTH), add_periods(last, MONTH, -119))
    # One rate table for the history and today's conversions (each is a query per currency).
    provider = TableRateProvider(session, q.scope)
    history = net_worth_history(session, q.scope, q.base_currency, BALANCE_MONTH, start=first,
                                end=as_of, provider=provider,
                                account_ids=[a.id for a in accounts] or [0],
                                scoped_accounts=every)
    amounts = account_balances(session, q.scope, accounts, as_of=as_of)
    converted = Converter(provider, q.base_currency).convert_many(
        [(amounts[a.id].balance, a.currency, as_of) for a in accounts])
    rows = tuple(
        AccountBalance(a.id, a.name, a.type_label, a.currency, amounts[a.id].balance, value,
                       a.is_liability)
        for a, value in zip(accounts, converted.amounts, strict=True)
    )
    missing = {m.from_ccy for m in (*history.missing, *converted.missing)}
    return Balances(rows, tuple(history.points), frozenset(missing))
