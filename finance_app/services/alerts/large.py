"""Large transaction: a row of the last week whose size reaches the member's amount (in the
row's own currency); one alert per transaction."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select

from finance_app.db import DbSession
from finance_app.models.ledger import Account, Transaction
from finance_app.models.recurring import LARGE_TRANSACTION
from finance_app.money import format_money
from finance_app.services.alerts.base import LOOKBACK_DAYS, Alert, amount_text
from finance_app.services.alerts.preferences import get_large_threshold
from finance_app.services.scope import Scope, scope_filter

# A first import of years of history reaches back only LOOKBACK_DAYS; this caps a burst.
MAX_PER_RUN = 20


def list_large(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    if scope.member_id is None:
        return []
    threshold = get_large_threshold(session, scope.member_id)
    if threshold is None or threshold <= 0:
        return []
    rows = session.execute(
        select(Transaction, Account.name, Account.currency)
        .join(Account, Account.id == Transaction.account_id)
        .where(scope_filter(Transaction, scope), Transaction.transfer_peer_id.is_(None),
               Transaction.date >= today - timedelta(days=LOOKBACK_DAYS),
               Transaction.date <= today,
               # Both signs, not abs(): the same comparison on SQLite's stored integers.
               or_(Transaction.amount >= threshold, Transaction.amount <= -threshold))
        .order_by(Transaction.date.desc(), Transaction.id.desc()).limit(MAX_PER_RUN))
    alerts = []
    for txn, account_name, currency in rows:
        what = "charge at" if txn.amount < 0 else "payment from"
        name = txn.display_name or "an unnamed payee"
        alerts.append(Alert(
            LARGE_TRANSACTION, f"{LARGE_TRANSACTION}:{txn.id}", f"A large {what} {name}",
            f"{format_money(txn.amount, currency)} on {txn.date:%b %d} in {account_name} "
            f"(your alert amount is {format_money(threshold, currency)}).",
            link=f"/transactions/{txn.id}/edit", event=LARGE_TRANSACTION,
            payload={"transaction_id": txn.id, "amount": amount_text(txn.amount, currency),
                     "currency": currency, "date": txn.date.isoformat()}))
    return alerts
