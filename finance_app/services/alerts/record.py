"""Record each member's new alerts once: an AlertSend per (member, key), the in-app
notification (unless its feature already made one), and a webhook delivery per endpoint of the
member that takes its event, when the member left webhooks on for the kind. The jobs then
email and text the new sends (finance_app/tasks/alerts.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from finance_app.db import DbSession
from finance_app.models.notification import Notification
from finance_app.models.recurring import ALERT_KINDS, AlertSend
from finance_app.services.alerts.preferences import webhook_kinds
from finance_app.services.alerts.registry import list_alerts
from finance_app.services.households.membership import list_members
from finance_app.services.scope import load_scope
from finance_app.services.webhooks import queue_event


def record_alerts(session: DbSession, household_id: int, today: date,
                  kinds: tuple[str, ...] = ALERT_KINDS) -> list[AlertSend]:
    """Every member's new alerts (flushed); an alert already sent is skipped, so a second run
    returns none."""
    new: list[AlertSend] = []
    for membership in list_members(session, household_id):
        user_id = membership.user_id
        scope = load_scope(session, household_id, user_id, membership.role)
        alerts = list_alerts(session, scope, today, kinds)
        if not alerts:
            continue
        sent = set(session.scalars(select(AlertSend.key).where(
            AlertSend.user_id == user_id, AlertSend.key.in_([a.key for a in alerts]))))
        hooks = webhook_kinds(session, user_id)
        for alert in alerts:
            if alert.key in sent:
                continue
            sent.add(alert.key)
            send = AlertSend(user_id=user_id, household_id=household_id, kind=alert.kind,
                             key=alert.key, title=alert.title[:200], body=alert.body[:500],
                             through_id=alert.through_id)
            try:  # two jobs at once (after an import: budgets and bills) record it once
                with session.begin_nested():
                    session.add(send)
            except IntegrityError:
                continue
            if alert.in_app:
                session.add(Notification(user_id=user_id,
                                         kind=alert.note_kind or f"alerts.{alert.kind}",
                                         title=alert.title[:200], body=alert.body,
                                         link=alert.link))
            new.append(send)
            if alert.event is not None and alert.kind in hooks:
                queue_event(session, household_id, user_id, alert.event,
                            {"key": alert.key, "kind": alert.kind, "title": alert.title,
                             "body": alert.body, **alert.payload})
    session.flush()
    return new
