"""Bank connections needing attention through the alert channels: an Item that needs its user
to sign in again, will disconnect soon or failed is announced under the bell by bank sync; this
makes an alert per member for each change into such a state (the key holds when it changed),
so email, SMS and webhooks follow the member's choices."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.bank_sync import (
    ITEM_ERROR,
    ITEM_NEEDS_REAUTH,
    ITEM_PENDING_DISCONNECT,
    PlaidItem,
)
from finance_app.models.recurring import SYNC_ATTENTION
from finance_app.services.alerts.base import Alert
from finance_app.services.scope import Scope

TITLES = {ITEM_NEEDS_REAUTH: "{name} needs you to sign in again",
          ITEM_PENDING_DISCONNECT: "{name} will disconnect soon",
          ITEM_ERROR: "Syncing {name} failed"}
REAUTH_HINT = "Open Bank connections and choose Re-authenticate to keep syncing."


def list_sync_alerts(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    # A state from before changes were timed (status_changed_at empty) was already announced.
    items = session.scalars(select(PlaidItem).where(
        PlaidItem.household_id == scope.household_id, PlaidItem.status.in_(list(TITLES)),
        PlaidItem.status_changed_at.is_not(None)).order_by(PlaidItem.id))
    alerts = []
    for item in items:
        assert item.status_changed_at is not None
        changed = item.status_changed_at.strftime("%Y%m%dT%H%M%S.%f")
        body = (REAUTH_HINT if item.status != ITEM_ERROR
                else item.error_message or "The bank answered with an error.")
        alerts.append(Alert(
            SYNC_ATTENTION, f"{SYNC_ATTENTION}:{item.id}:{item.status}:{changed}",
            TITLES[item.status].format(name=item.institution_name or "Your bank"), body,
            link="/bank-sync/", event=SYNC_ATTENTION,
            payload={"item_id": item.id, "institution": item.institution_name,
                     "status": item.status, "error_code": item.error_code},
            in_app=False))
    return alerts
