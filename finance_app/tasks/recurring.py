"""Recurring jobs: after an import and nightly, find the household's series and flag anomalies,
then send every kind of alert. Re-running is harmless: series are upserted and each flag and
alert is saved once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.job import Job
from finance_app.models.ledger import Transaction
from finance_app.services.alerts.record import record_alerts
from finance_app.services.recurring.anomalies import detect_anomalies
from finance_app.services.recurring.detection import detect_recurring
from finance_app.tasks.alerts import deliver_alerts, household_today


def detect_recurring_later(household_id: int) -> Job:
    """Call after an import has been committed."""
    return enqueue(detect_recurring_job, household_id, household_id=household_id,
                   name="recurring", description="Finding bills and subscriptions")


def detect_recurring_job(household_id: int, today: str | None = None) -> dict:
    day = date.fromisoformat(today) if today else household_today(household_id)
    result = detect_recurring(db.session, household_id, day)
    flags = detect_anomalies(db.session, household_id, day)
    db.session.commit()
    sends = record_alerts(db.session, household_id, day)  # every kind, not only bills
    db.session.commit()
    sent = deliver_alerts(household_id, [send.id for send in sends])
    return {"series": result.found, "created": result.created, "flags": flags,
            "alerts": sent["alerts"], "emails": sent["emails"], "texts": sent["texts"],
            "webhooks": sent["webhooks"]}


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
