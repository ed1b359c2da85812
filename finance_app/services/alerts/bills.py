"""Bill and anomaly alerts: a bill due in 3 days, a bill late, an anomaly flagged."""

from __future__ import annotations

from datetime import date, timedelta

from finance_app.db import DbSession
from finance_app.models.recurring import ANOMALY, BILL_DUE, BILL_LATE, INCOME, TRANSFER
from finance_app.money import format_money
from finance_app.services.alerts.base import Alert
from finance_app.services.recurring.anomalies import list_flags
from finance_app.services.recurring.calendar import LATE, bills_between, upcoming_occurrences
from finance_app.services.scope import Scope

DUE_DAYS = 3
LATE_LOOKBACK_DAYS = 14


def _is_bill(kind: str) -> bool:
    return kind not in (INCOME, TRANSFER)


def list_due(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    alerts = []
    for o in upcoming_occurrences(session, scope, today, today + timedelta(days=DUE_DAYS),
                                  today):
        s = o.series
        if _is_bill(s.kind):
            alerts.append(Alert(BILL_DUE, f"{BILL_DUE}:{s.id}:{o.day.isoformat()}",
                                f"{s.merchant} is due on {o.day:%b %d}",
                                f"About {format_money(abs(o.expected_amount), s.currency)}.",
                                link="/bills/", event=BILL_DUE, note_kind=f"bills.{BILL_DUE}"))
    return alerts


def list_late(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    alerts = []
    for o in bills_between(session, scope, today - timedelta(days=LATE_LOOKBACK_DAYS), today,
                           today):
        s = o.series
        if o.status == LATE and _is_bill(s.kind):
            alerts.append(Alert(BILL_LATE, f"{BILL_LATE}:{s.id}:{o.day.isoformat()}",
                                f"{s.merchant} is late",
                                f"It was due on {o.day:%b %d} and no payment has come in.",
                                link="/bills/", event=BILL_LATE,
                                note_kind=f"bills.{BILL_LATE}"))
    return alerts


def list_anomalies(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    return [Alert(ANOMALY, f"{ANOMALY}:{flag.id}", "Something unusual", flag.reason,
                  link="/bills/", event=ANOMALY, note_kind=f"bills.{ANOMALY}")
            for flag in list_flags(session, scope)]
