"""Jobs: check budget thresholds after writes, and send each new alert (once) on the channels
every member of the household chose for budget alerts (finance_app/tasks/alerts.py)."""

from __future__ import annotations

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.budget import BudgetAlert
from finance_app.models.job import Job
from finance_app.models.recurring import BUDGET_THRESHOLD
from finance_app.services.budgets.alerts import check_budget_alerts
from finance_app.tasks.alerts import send_alerts_job, send_alerts_later


def check_budget_alerts_later(household_id: int) -> Job:
    """Call after an import, a sync or an edit has been committed."""
    return enqueue(check_budget_alerts_job, household_id, household_id=household_id,
                   name="budget_alerts", description="Checking budgets")


def check_budget_alerts_job(household_id: int) -> dict:
    alerts = check_budget_alerts(db.session, household_id)
    db.session.commit()
    sent = send_alerts_job(household_id, kinds=[BUDGET_THRESHOLD]) if alerts else {"emails": 0}
    return {"alerts": len(alerts), "emails": sent["emails"]}


def email_announced_alerts(alerts: list[BudgetAlert]) -> None:
    """After a page committed new alerts: send them on each member's channels through a job
    (a request never sends)."""
    for household_id in sorted({alert.household_id for alert in alerts}):
        send_alerts_later(household_id, [BUDGET_THRESHOLD])


def check_all_budget_alerts() -> dict:
    """Nightly: a new period (week, month) can cross a threshold without any write; check every
    household that has budgets."""
    from sqlalchemy import select

    from finance_app.models.budget import Budget

    households = sorted(set(db.session.scalars(select(Budget.household_id).distinct())))
    alerts = emails = 0
    for household_id in households:
        result = check_budget_alerts_job(household_id)
        alerts, emails = alerts + result["alerts"], emails + result["emails"]
    return {"households": len(households), "alerts": alerts, "emails": emails}
