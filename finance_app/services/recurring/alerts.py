"""Bill and anomaly alerts, kept at their first address: the kinds, the member's channels and
recording now live in finance_app/services/alerts/ (one module per kind, a registry)."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.services.alerts.base import Alert
from finance_app.services.alerts.bills import DUE_DAYS, LATE_LOOKBACK_DAYS
from finance_app.services.alerts.preferences import email_kinds, set_channels
from finance_app.services.alerts.record import record_alerts
from finance_app.services.alerts.registry import list_alerts

__all__ = ["DUE_DAYS", "LATE_LOOKBACK_DAYS", "Alert", "email_kinds", "list_alerts",
           "record_alerts", "set_email_kinds"]


def set_email_kinds(session: DbSession, user_id: int, kinds: set[str],
                    sms: set[str] | None = None) -> None:
    """The member's email (and SMS) choice per kind (unknown kinds are ignored)."""
    set_channels(session, user_id, kinds, sms=sms)
