"""Recurring jobs: after an import and nightly, find the household's series and flag anomalies.
Re-running is harmless: series are upserted and each flag is saved once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from flask import current_app
from sqlalchemy import select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.integrations.twilio import SmsNotSent, TwilioSettings, send_sms
from finance_app.jobs import enqueue
from finance_app.models.job import Job
from finance_app.models.ledger import Transaction
from finance_app.models.recurring import AlertSend
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.recurring.alerts import email_kinds, record_alerts
from finance_app.services.recurring.anomalies import detect_anomalies
from finance_app.services.recurring.detection import detect_recurring
from finance_app.services.recurring.sms import text_alert
from finance_app.tasks.goals import household_today
from finance_app.tasks.webhooks import send_pending_webhooks

log = logging.getLogger(__name__)


def detect_recurring_later(household_id: int) -> Job:
    """Call after an import has been committed."""
    return enqueue(detect_recurring_job, household_id, household_id=household_id,
                   name="recurring", description="Finding bills and subscriptions")


def detect_recurring_job(household_id: int, today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else household_today(household_id)
    result = detect_recurring(db.session, household_id, day)
    flags = detect_anomalies(db.session, household_id, day)
    db.session.commit()
    sends = record_alerts(db.session, household_id, day)
    db.session.commit()
    emailed = sum(send_alert_email(send.id)["sent"] for send in sends)
    texted = text_alerts([send.id for send in sends])
    hooks = send_pending_webhooks(household_id)
    return {"series": result.found, "created": result.created, "flags": flags,
            "alerts": len(sends), "emails": emailed, "texts": texted, "webhooks": hooks}


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
    if user is None or send.kind not in email_kinds(db.session, user.id):
        return {"sent": 0}
    send_email(user.email, send.title, "bill_alert", user=user, alert=send,
               link=external_url("bills.index"),
               settings_link=external_url("bills.alert_settings"))
    send.emailed_at = utcnow()
    db.session.commit()
    return {"sent": 1}


def detect_all_recurring() -> dict:
    """Nightly: bills fall due and stop without any import; every household with
    transactions, one at a time (a later failure keeps the earlier ones)."""
    households = list(db.session.scalars(
        select(Transaction.household_id).group_by(Transaction.household_id)
        .order_by(Transaction.household_id)))
    series = flags = 0
    for household_id in households:
        result = detect_recurring_job(household_id)
        series, flags = series + result["series"], flags + result["flags"]
    return {"households": len(households), "series": series, "flags": flags}
