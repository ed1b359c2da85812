"""The email of one alert, per kind: bills and anomalies, budgets, goals and bank connections
keep the emails they had; the other kinds share a plain one."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.budget import BudgetAlert
from finance_app.models.goal import Goal, GoalMilestone
from finance_app.models.recurring import (
    ANOMALY,
    BILL_DUE,
    BILL_LATE,
    BUDGET_THRESHOLD,
    GOAL_MILESTONE,
    LARGE_TRANSACTION,
    LOW_BALANCE,
    NEW_TRANSACTIONS,
    SYNC_ATTENTION,
    AlertSend,
)
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.households import list_members

ATTENTION_SUBJECT = "A bank connection needs your attention"
Mailer = Callable[[User, AlertSend], bool]


def _key_ids(send: AlertSend) -> list[int]:
    """The ids in a key such as "goal_milestone:12:50" -> [12, 50]."""
    return [int(part) for part in send.key.split(":")[1:] if part.isdigit()]


def _settings() -> str:
    return external_url("bills.alert_settings")


def _bill(user: User, send: AlertSend) -> bool:
    send_email(user.email, send.title, "bill_alert", user=user, alert=send,
               link=external_url("bills.index"), settings_link=_settings())
    return True


def _budget(user: User, send: AlertSend) -> bool:
    alert = db.session.get(BudgetAlert, _key_ids(send)[0])
    if alert is None:
        return False
    category = alert.budget.category.name
    subject = (f"{category}: budget used up" if alert.threshold >= 100
               else f"{category}: {alert.threshold}% of your budget used")
    currency = list_members(db.session, alert.household_id)[0].user.base_currency
    send_email(user.email, subject, "budget_alert", user=user, alert=alert, category=category,
               currency=currency, period=alert.budget.period,
               link=external_url("budgets.index"), settings_link=_settings())
    return True


def _goal(user: User, send: AlertSend) -> bool:
    goal_id, percent = _key_ids(send)[:2]
    goal = db.session.get(Goal, goal_id)
    milestone = db.session.scalars(select(GoalMilestone).where(
        GoalMilestone.goal_id == goal_id, GoalMilestone.percent == percent)).first()
    if goal is None or milestone is None:
        return False
    send_email(user.email, send.title, "goal_milestone", user=user, goal=goal,
               milestone=milestone, message=send.body,
               link=external_url("goals.detail", goal_id=goal.id), settings_link=_settings())
    return True


def _sync(user: User, send: AlertSend) -> bool:
    send_email(user.email, ATTENTION_SUBJECT, "bank_sync_attention", user=user,
               title=send.title, message=send.body, link=external_url("bank_sync.index"))
    return True


def _plain(endpoint: str) -> Mailer:
    def mail(user: User, send: AlertSend) -> bool:
        send_email(user.email, send.title, "alert", user=user, alert=send,
                   link=external_url(endpoint), settings_link=_settings())
        return True
    return mail


MAILERS: dict[str, Mailer] = {
    BILL_DUE: _bill, BILL_LATE: _bill, ANOMALY: _bill, BUDGET_THRESHOLD: _budget,
    GOAL_MILESTONE: _goal, SYNC_ATTENTION: _sync, LOW_BALANCE: _plain("accounts.index"),
    LARGE_TRANSACTION: _plain("transactions.index"),
    NEW_TRANSACTIONS: _plain("transactions.index"),
}


def email_alert(user: User, send: AlertSend) -> bool:
    return MAILERS[send.kind](user, send)
