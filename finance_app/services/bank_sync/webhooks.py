"""What a verified Plaid webhook asks for: a sync, or a change of the Item's state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finance_app.db import DbSession
from finance_app.models.bank_sync import ITEM_PENDING_DISCONNECT, PlaidItem
from finance_app.services.bank_sync.items import (
    find_item_by_plaid_id,
    mark_login_repaired,
    mark_needs_reauth,
    notify_members,
    set_item_state,
)
from finance_app.services.errors import NotFound

SYNC_CODES = {("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"), ("TRANSACTIONS", "DEFAULT_UPDATE"),
              ("TRANSACTIONS", "INITIAL_UPDATE"), ("TRANSACTIONS", "HISTORICAL_UPDATE")}


@dataclass(frozen=True)
class WebhookAction:
    """`sync_item_id`: the Item to sync now (None: nothing to sync); `notified`: members told."""

    handled: bool
    sync_item_id: int | None = None
    notified_user_ids: tuple[int, ...] = ()
    item: PlaidItem | None = None


def apply_webhook(session: DbSession, payload: dict[str, Any]) -> WebhookAction:
    """Record what the webhook says about its Item (the caller commits, then enqueues)."""
    kind = str(payload.get("webhook_type") or "")
    code = str(payload.get("webhook_code") or "")
    try:
        item = find_item_by_plaid_id(session, str(payload.get("item_id") or ""))
    except NotFound:
        return WebhookAction(handled=False)
    if (kind, code) in SYNC_CODES:
        return WebhookAction(True, sync_item_id=item.id, item=item)
    if kind == "ITEM" and code == "LOGIN_REPAIRED":
        mark_login_repaired(session, item)
        return WebhookAction(True, sync_item_id=item.id, item=item)
    if kind == "ITEM" and code == "ERROR":
        error = payload.get("error") or {}
        error_code = str(error.get("error_code") or "")
        message = str(error.get("display_message") or error.get("error_message") or "")
        if error_code == "ITEM_LOGIN_REQUIRED" and mark_needs_reauth(
                session, item, error_code,
                message or "Your bank needs you to sign in again to keep syncing."):
            notified = notify_members(
                session, item, f"{item.institution_name} needs you to sign in again",
                "Open Bank connections and choose Re-authenticate to keep syncing.")
            return WebhookAction(True, notified_user_ids=tuple(notified), item=item)
        return WebhookAction(True, item=item)
    if kind == "ITEM" and code in ("PENDING_DISCONNECT", "PENDING_EXPIRATION"):
        if set_item_state(session, item, ITEM_PENDING_DISCONNECT, code,
                          "The bank will disconnect soon unless you sign in again."):
            notified = notify_members(
                session, item, f"{item.institution_name} will disconnect soon",
                "Re-authenticate it on the Bank connections page to keep syncing.")
            return WebhookAction(True, notified_user_ids=tuple(notified), item=item)
        return WebhookAction(True, item=item)
    return WebhookAction(True, item=item)
