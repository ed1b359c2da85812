"""Plaid's webhook: verify the Plaid-Verification JWT, record what it says, enqueue the work.

Verification is required except where PLAID_VERIFY_WEBHOOKS is off, which it is by default
only in development and tests (the sandbox's webhooks cannot reach a laptop anyway).
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from finance_app.extensions import csrf, db
from finance_app.integrations.plaid import PlaidError, PlaidNotConfigured
from finance_app.integrations.plaid.webhooks import WebhookRejected, verify_webhook
from finance_app.jobs import JobNotStarted
from finance_app.models.recurring import SYNC_ATTENTION
from finance_app.services.bank_sync.webhooks import apply_webhook
from finance_app.tasks.alerts import send_alerts_later
from finance_app.tasks.bank_sync import plaid_client, sync_item_later
from finance_app.web.bank_sync import webhook_bp

log = logging.getLogger(__name__)


def _must_verify() -> bool:
    setting = current_app.config.get("PLAID_VERIFY_WEBHOOKS")
    if setting is not None:
        return bool(setting)
    return current_app.config.get("ENV") == "production" or not (
        current_app.testing or current_app.debug)


@webhook_bp.post("/plaid")
@csrf.exempt
def receive() -> tuple[Response, int]:
    body = request.get_data(cache=True)
    if _must_verify():
        try:
            with plaid_client() as client:
                verify_webhook(body, request.headers.get("Plaid-Verification"),
                               client.get_webhook_verification_key)
        except (WebhookRejected, PlaidError, PlaidNotConfigured) as exc:
            log.warning("plaid webhook rejected: %s", exc)
            return jsonify({"error": "rejected"}), 401
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify({"error": "not JSON"}), 400
    action = apply_webhook(db.session, payload)
    db.session.commit()
    if action.notified_user_ids and action.item is not None:
        try:  # the state is committed and shown; the nightly run sends what this could not
            send_alerts_later(action.item.household_id, [SYNC_ATTENTION])
        except JobNotStarted:
            log.warning("alerts for plaid item %s not started", action.item.id)
    if action.sync_item_id is not None:
        sync_item_later(action.sync_item_id, "webhook")
    return jsonify({"received": True, "handled": action.handled}), 200
