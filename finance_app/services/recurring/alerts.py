"""Bill and anomaly alerts for each member: a bill due in 3 days, a bill late, an anomaly
flagged. Each is recorded once per member and occurrence (a unique key), shown in-app (the
notification bell) always, and marked for email when the member chose email for its kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.notification import Notification
from finance_app.models.recurring import (
    ALERT_KINDS,
    ANOMALY,
    BILL_DUE,
    BILL_LATE,
    INCOME,
    TRANSFER,
    WEBHOOK_EVENTS,
    AlertPreference,
    AlertSend,
)
from finance_app.money import format_money
from finance_app.services.households.membership import list_members
from finance_app.services.recurring.anomalies import list_flags
from finance_app.services.recurring.calendar import LATE, bills_between, upcoming_occurrences
from finance_app.services.scope import Scope, load_scope
from finance_app.services.webhooks import queue_event

DUE_DAYS = 3
LATE_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class Alert:
    kind: str
    key: str
    title: str
    body: str


def _is_bill(kind: str) -> bool:
    return kind not in (INCOME, TRANSFER)


def list_alerts(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    """What this member should be told today (each key the same however often it runs)."""
    alerts = []
    for o in upcoming_occurrences(session, scope, today, today + timedelta(days=DUE_DAYS),
                                  today):
        s = o.series
        if _is_bill(s.kind):
            alerts.append(Alert(BILL_DUE, f"{BILL_DUE}:{s.id}:{o.day.isoformat()}",
                                f"{s.merchant} is due on {o.day:%b %d}",
                                f"About {format_money(abs(o.expected_amount), s.currency)}."))
    for o in bills_between(session, scope, today - timedelta(days=LATE_LOOKBACK_DAYS), today,
                           today):
        s = o.series
        if o.status == LATE and _is_bill(s.kind):
            alerts.append(Alert(BILL_LATE, f"{BILL_LATE}:{s.id}:{o.day.isoformat()}",
                                f"{s.merchant} is late",
                                f"It was due on {o.day:%b %d} and no payment has come in."))
    for flag in list_flags(session, scope):
        alerts.append(Alert(ANOMALY, f"{ANOMALY}:{flag.id}", "Something unusual", flag.reason))
    return alerts


def email_kinds(session: DbSession, user_id: int) -> set[str]:
    return set(session.scalars(select(AlertPreference.kind).where(
        AlertPreference.user_id == user_id, AlertPreference.email.is_(True))))


def set_email_kinds(session: DbSession, user_id: int, kinds: set[str],
                    sms: set[str] | None = None) -> None:
    """The member's email (and SMS) choice per kind (unknown kinds are ignored)."""
    existing = {p.kind: p for p in session.scalars(
        select(AlertPreference).where(AlertPreference.user_id == user_id))}
    for kind in ALERT_KINDS:
        preference = existing.get(kind)
        if preference is None:
            preference = AlertPreference(user_id=user_id, kind=kind)
            session.add(preference)
        preference.email = kind in kinds
        if sms is not None:
            preference.sms = kind in sms
    session.flush()


def record_alerts(session: DbSession, household_id: int, today: date) -> list[AlertSend]:
    """Record every member's new alerts, each with its in-app notification (flushed). Returns
    the new sends; an alert already sent is skipped, so a second run returns none. The member's
    webhook endpoints that want the kind get a delivery each (sent by the job)."""
    new: list[AlertSend] = []
    for membership in list_members(session, household_id):
        scope = load_scope(session, household_id, membership.user_id, membership.role)
        sent = set(session.scalars(select(AlertSend.key).where(
            AlertSend.user_id == membership.user_id)))
        for alert in list_alerts(session, scope, today):
            if alert.key in sent:
                continue
            sent.add(alert.key)
            send = AlertSend(user_id=membership.user_id, household_id=household_id,
                             kind=alert.kind, key=alert.key, title=alert.title[:200],
                             body=alert.body[:500])
            session.add(send)
            session.add(Notification(user_id=membership.user_id, kind=f"bills.{alert.kind}",
                                     title=alert.title[:200], body=alert.body,
                                     link="/bills/"))
            new.append(send)
            if alert.kind in WEBHOOK_EVENTS:
                queue_event(session, household_id, membership.user_id, alert.kind,
                            {"key": alert.key, "title": alert.title, "body": alert.body})
    session.flush()
    return new
