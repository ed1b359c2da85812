"""Alert jobs: record every kind's new alerts for a household's members, then send each on the
channels its member chose (email, SMS through Twilio, webhooks). Re-running is harmless: an
alert is recorded once per member and occurrence, and emailed_at / texted_at mark what went."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from flask import current_app

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.integrations.twilio import SmsNotSent, TwilioSettings, send_sms
from finance_app.jobs import enqueue
from finance_app.models.job import Job
from finance_app.models.recurring import ALERT_KINDS, AlertSend
from finance_app.models.user import User
from finance_app.services.alerts.preferences import email_kinds
from finance_app.services.alerts.record import record_alerts
from finance_app.services.households import list_members
from finance_app.services.ledger.periods import user_today
from finance_app.services.recurring.sms import text_alert
from finance_app.tasks.alert_mail import email_alert
from finance_app.tasks.webhooks import send_pending_webhooks

log = logging.getLogger(__name__)


def household_today(household_id: int) -> date:
    """Today where the household's first owner lives."""
    members = list_members(db.session, household_id)
    return user_today(members[0].user.timezone if members else None)


def send_alerts_later(household_id: int, kinds: list[str] | None = None) -> Job:
    """Call after a commit that may have made news (a sync, a budget or goal check)."""
    return enqueue(send_alerts_job, household_id, kinds=kinds, household_id=household_id,
                   name="alerts", description="Sending alerts")


def send_alerts_job(household_id: int, today: str | None = None,
                    kinds: list[str] | None = None) -> dict:
    """Record the new alerts of `kinds` (every kind when None) and send them."""
    day = date.fromisoformat(today) if today else household_today(household_id)
    chosen = tuple(k for k in ALERT_KINDS if kinds is None or k in kinds)
    sends = record_alerts(db.session, household_id, day, chosen)
    db.session.commit()
    return deliver_alerts(household_id, [send.id for send in sends])


def deliver_alerts(household_id: int, send_ids: list[int]) -> dict:
    """Email and text the new alerts and send the webhook deliveries they queued."""
    emailed = sum(send_alert_email(send_id)["sent"] for send_id in send_ids)
    texted = text_alerts(send_ids)
    hooks = send_pending_webhooks(household_id)
    return {"alerts": len(send_ids), "emails": emailed, "texts": texted, "webhooks": hooks}


def sms_sender() -> Callable[[str, str], str] | None:
    """Texts go through Twilio when TWILIO_* settings are present; else there is no SMS."""
    settings = TwilioSettings.from_config(current_app.config)
    if settings is None:
        return None
    return lambda to, body: send_sms(settings, to, body)


def text_alerts(send_ids: list[int]) -> int:
    """Text each alert whose member chose SMS for its kind; a failure leaves it for the next
    run (texted_at stays empty)."""
    sender = sms_sender()
    if sender is None:
        return 0
    texted = 0
    for send_id in send_ids:
        send = db.session.get(AlertSend, send_id)
        if send is None:
            continue
        try:
            texted += text_alert(db.session, send, sender)
        except SmsNotSent:
            log.warning("SMS alert %s not sent", send_id)
        db.session.commit()
    return texted


def send_alert_email(send_id: int) -> dict:
    """Email one alert if its member chose email for its kind; harmless to re-run (emailed_at
    marks it sent)."""
    send = db.session.get(AlertSend, send_id)
    if send is None or send.emailed_at is not None:
        return {"sent": 0}
    user = db.session.get(User, send.user_id)
    if (user is None or user.has_bounced_email
            or send.kind not in email_kinds(db.session, user.id)):
        return {"sent": 0}
    try:
        if not email_alert(user, send):
            return {"sent": 0}
    except Exception:  # mail trouble must not fail the job that already committed the alert
        log.exception("alert email %s failed", send_id)
        return {"sent": 0}
    send.emailed_at = utcnow()
    db.session.commit()
    return {"sent": 1}
