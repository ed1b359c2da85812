"""Budget thresholds through the alert channels: the services/budgets check records each
crossing once (and puts it under the bell for every member); this turns each announced one
into an alert per member, so email, SMS and webhooks ("budget exceeded" at 100 %) follow the
member's choices for the kind instead of a path of their own."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.budget import BudgetAlert
from finance_app.models.recurring import BUDGET_EXCEEDED, BUDGET_THRESHOLD
from finance_app.money import format_money
from finance_app.services.alerts.base import LOOKBACK_DAYS, Alert, amount_text
from finance_app.services.households.membership import list_members
from finance_app.services.scope import Scope


def list_budget_alerts(session: DbSession, scope: Scope, today: date) -> list[Alert]:
    since = today - timedelta(days=LOOKBACK_DAYS)
    members = list_members(session, scope.household_id)
    currency = members[0].user.base_currency if members else "USD"  # as the check uses
    # Announced ones only (the highest newly crossed); emailed_at marks one the old path sent.
    rows = session.scalars(select(BudgetAlert).where(
        BudgetAlert.household_id == scope.household_id,
        BudgetAlert.notification_id.is_not(None), BudgetAlert.emailed_at.is_(None),
        BudgetAlert.created_at >= datetime.combine(since, time()))
        .order_by(BudgetAlert.id))
    alerts = []
    for row in rows:
        name = row.budget.category.name
        title = (f"{name}: budget used up" if row.threshold >= 100
                 else f"{name}: {row.threshold}% of budget used")
        alerts.append(Alert(
            BUDGET_THRESHOLD, f"{BUDGET_THRESHOLD}:{row.id}", title,
            f"{format_money(row.spent, currency)} spent of "
            f"{format_money(row.available, currency)}.",
            link="/budgets/", event=BUDGET_EXCEEDED if row.threshold >= 100 else None,
            payload={"budget_id": row.budget_id, "category": name, "threshold": row.threshold,
                     "spent": amount_text(row.spent, currency),
                     "available": amount_text(row.available, currency),
                     "period_start": row.period_start.isoformat()},
            in_app=False))
    return alerts
