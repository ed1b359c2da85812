"""Every alert kind and the function that says what it should tell a member today; adding a
kind is a module and a line here (and a label in models/recurring.py)."""

from __future__ import annotations

from datetime import date

from finance_app.db import DbSession
from finance_app.models.recurring import (
    ALERT_KINDS,
    ANOMALY,
    BILL_DUE,
    BILL_LATE,
    BUDGET_THRESHOLD,
    GOAL_MILESTONE,
    LARGE_TRANSACTION,
    LOW_BALANCE,
    NEW_TRANSACTIONS,
    SYNC_ATTENTION,
)
from finance_app.services.alerts import balance, bills, budget, digest, goals, large, sync
from finance_app.services.alerts.base import Alert, Collector
from finance_app.services.scope import Scope

COLLECTORS: dict[str, Collector] = {
    BILL_DUE: bills.list_due,
    BILL_LATE: bills.list_late,
    LOW_BALANCE: balance.list_low_balances,
    LARGE_TRANSACTION: large.list_large,
    ANOMALY: bills.list_anomalies,
    BUDGET_THRESHOLD: budget.list_budget_alerts,
    GOAL_MILESTONE: goals.list_goal_alerts,
    SYNC_ATTENTION: sync.list_sync_alerts,
    NEW_TRANSACTIONS: digest.list_digest,
}
assert tuple(COLLECTORS) == ALERT_KINDS, "every kind has a collector, in the page's order"


def list_alerts(session: DbSession, scope: Scope, today: date,
                kinds: tuple[str, ...] = ALERT_KINDS) -> list[Alert]:
    """What this member should be told today (each key the same however often it runs)."""
    return [alert for kind in kinds for alert in COLLECTORS[kind](session, scope, today)]
