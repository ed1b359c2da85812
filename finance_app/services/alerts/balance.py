"""Low balance: a cash account's ledger balance below the member's level for it. One alert per
account and crossing: the key is the day the balance went below, so it stays the same while
the balance stays low and a new dip after a recovery is a new alert."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.ledger import Transaction
from finance_app.models.recurring import LOW_BALANCE
from finance_app.money import format_money
from finance_app.services.alerts.base import Alert, amount_text
from finance_app.services.alerts.preferences import balance_levels, list_cash_accounts
from finance_app.services.ledger.balances import account_balances
from finance_app.services.scope import Scope, scope_filter


def crossing_day(balance: Decimal, day_sums: list[tuple[date, Decimal]], level: Decimal,
                 start: date) -> date | None:
    """The day the balance last went below `level`, or None when `balance` is not below it.
    `day_sums` is each day's total of the account's rows, newest first (none after today);
    `start` is the day it has been below since, when it never was at the level."""
    if balance >= level:
        return None
    for day, total in day_sums:
        before = balance - total
        if before >= level:
            return day
        balance = before
        start = min(start, day)
    return start


def _day_sums(session: DbSession, scope: Scope, account_id: int,
              today: date) -> list[tuple[date, Decimal]]:
    rows = session.execute(
        select(Transaction.date, func.sum(Transaction.amount))
        .where(scope_filter(Transaction, scope), Transaction.account_id == account_id,
               Transaction.date <= today)
        .group_by(Transaction.date).order_by(Transaction.date.desc()))
    return [(day, Decimal(total)) for day, total in rows]


def list_low_balances(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    levels = balance_levels(session, scope)
    accounts = [a for a in list_cash_accounts(session, scope) if a.id in levels]
    if not accounts:
        return []
    balances = account_balances(session, scope, accounts, today)
    alerts = []
    for account in accounts:
        level, balance = levels[account.id], balances[account.id].balance
        start = account.opening_date or account.created_at.date()
        crossed = crossing_day(balance, _day_sums(session, scope, account.id, today)
                               if balance < level else [], level, start)
        if crossed is None:
            continue
        alerts.append(Alert(
            LOW_BALANCE, f"{LOW_BALANCE}:{account.id}:{crossed.isoformat()}",
            f"{account.name} is below your alert level",
            f"The balance is {format_money(balance, account.currency)} on {today:%b %d}, "
            f"below {format_money(level, account.currency)} (since {crossed:%b %d}).",
            link=f"/accounts/{account.id}", event=LOW_BALANCE,
            payload={"account_id": account.id, "balance": amount_text(balance, account.currency),
                     "level": amount_text(level, account.currency), "currency": account.currency,
                     "below_since": crossed.isoformat()}))
    return alerts
