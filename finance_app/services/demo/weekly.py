"""The demo member's weekly summary email: on, Monday 08:00, with figures, so `flask reports
weekly --now` shows (in the log without a mail server) what the email carries."""

from __future__ import annotations

from finance_app.db import DbSession
from finance_app.models.user import User


def seed_demo_weekly_email(session: DbSession, user: User) -> str:
    """Idempotent: sets the same preferences every time."""
    user.notify_weekly_email = True
    user.weekly_email_weekday, user.weekly_email_hour = 0, 8
    user.weekly_email_figures = True
    session.flush()
    return "weekly email: Mondays 08:00 with figures (`flask reports weekly --now` sends it)"
