"""Jobs: check budget thresholds after writes, and email an alert (once) to every member of the
household who wants it."""

from __future__ import annotations

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.budget import BudgetAlert
from finance_app.models.job import Job
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.budgets.alerts import check_budget_alerts
from finance_app.services.households import list_members


def check_budget_alerts_later(household_id: int) -> Job:
    """Call after an import, a sync or an edit has been committed."""
    return enqueue(check_budget_alerts_job, household_id, household_id=household_id,
                   name="budget_alerts", description="Checking budgets")


def check_budget_alerts_job(household_id: int) -> dict:
    alerts = check_budget_alerts(db.session, household_id)
    db.session.commit()
    sent = sum(send_budget_alert_email(alert.id)["sent"] for alert in alerts)
    return {"alerts": len(alerts), "emails": sent}


def email_announced_alerts(alerts: list[BudgetAlert]) -> None:
    """After a page committed new alerts: email each through a job (a request never sends)."""
    for alert in alerts:
        if _recipients(alert.household_id):
            enqueue(send_budget_alert_email, alert.id, household_id=alert.household_id,
                    name="budget_alert_email", description="Emailing a budget alert")


def _recipients(household_id: int) -> list[User]:
    return [m.user for m in list_members(db.session, household_id) if m.user.notify_budget_email]


def send_budget_alert_email(alert_id: int) -> dict:
    """Email one alert; re-running it is harmless (emailed_at marks it sent)."""
    alert = db.session.get(BudgetAlert, alert_id)
    if alert is None or alert.emailed_at is not None:
        return {"sent": 0}
    recipients = _recipients(alert.household_id)
    if not recipients:
        return {"sent": 0}
    category = alert.budget.category.name
    subject = (f"{category}: budget used up" if alert.threshold >= 100
               else f"{category}: {alert.threshold}% of your budget used")
    currency = list_members(db.session, alert.household_id)[0].user.base_currency
    for user in recipients:
        send_email(user.email, subject, "budget_alert", user=user, alert=alert,
                   category=category, currency=currency, period=alert.budget.period,
                   link=external_url("budgets.index"),
                   settings_link=external_url("settings.profile"))
    alert.emailed_at = utcnow()
    db.session.commit()
    return {"sent": len(recipients)}


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
