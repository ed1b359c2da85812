"""Webhook jobs: one attempt per RQ job; a failed attempt is retried with backoff by the
minute sweep, which queues each due retry as a job of its own."""

from __future__ import annotations

from flask import current_app

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.job import Job
from finance_app.services import webhooks


def allow_private_urls() -> bool:
    """Loopback and private URLs are refused in production only (tests run a local receiver)."""
    return current_app.config.get("ENV") != "production"


def deliver_webhook_later(delivery_id: int, household_id: int | None = None) -> Job:
    return enqueue(deliver_webhook, delivery_id, household_id=household_id,
                   name="webhook_delivery", description="Sending a webhook")


def deliver_webhook(delivery_id: int) -> dict:
    delivery = webhooks.attempt(db.session, delivery_id, current_app.config["TOKEN_ENCRYPTION_KEY"],
                                allow_private=allow_private_urls())
    db.session.commit()
    return {"status": delivery.status if delivery else "gone",
            "response_code": delivery.response_code if delivery else None}


def send_pending_webhooks(household_id: int) -> int:
    pending = webhooks.list_pending(db.session, household_id)
    for delivery_id in pending:
        deliver_webhook_later(delivery_id, household_id)
    return len(pending)


def retry_due_webhooks() -> dict:
    """Every minute: deliveries whose backoff has passed get their next attempt."""
    due = webhooks.list_due_retries(db.session, utcnow())
    for delivery_id in due:
        deliver_webhook_later(delivery_id)
    return {"retried": len(due)}
