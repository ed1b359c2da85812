"""The market value of investment accounts' securities on given days, for net worth.

Kept apart from `overview` so the ledger's balance engine can read it without importing the
pages' code (which itself reads the ledger)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.money import CENT, quantize
from finance_app.services.investments import records
from finance_app.services.investments.portfolio import Portfolio
from finance_app.services.scope import Scope


def securities_values(session: DbSession, scope: Scope, account_ids: Sequence[int],
                      days: Sequence[date]) -> dict[int, dict[date, Decimal]]:
    """account id -> day -> value of the securities it holds at the end of that day (accounts
    without trades are left out)."""
    events = records.trade_events(session, scope, list(account_ids))
    if not events:
        return {}
    portfolio = Portfolio(events, records.price_book(session, scope))
    held = {e.account for e in events if isinstance(e.account, int)}
    return {account_id: {day: quantize(portfolio.value_on(day, [account_id]), CENT)
                         for day in days} for account_id in sorted(held)}
