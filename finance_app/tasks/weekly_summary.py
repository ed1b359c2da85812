"""Job: send the weekly summary emails that are due (every 15 minutes from the scheduler, or
`flask reports weekly`); the services decide who and record every send."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import current_app

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.jobs import report_progress
from finance_app.models.user import User
from finance_app.notifications.email import external_url, send_email
from finance_app.services.weekly_summary.content import WeeklySummary
from finance_app.services.weekly_summary.due import WEEKDAYS
from finance_app.services.weekly_summary.sending import send_due_summaries
from finance_app.services.weekly_summary.unsubscribe import make_unsubscribe_token


def send_weekly_summaries(ignore_hour: bool = False, now: str | None = None) -> dict:
    """Send what is due at `now` (ISO, naive UTC; default the present moment). `ignore_hour`:
    everyone who has not had this week's email yet."""
    moment = datetime.fromisoformat(now) if now else utcnow()
    counts = send_due_summaries(db.session, moment, deliver_summary, ignore_hour=ignore_hour,
                                progress=report_progress)
    return counts.as_dict()


def report_link(summary: WeeklySummary) -> str:
    """The reports page for the summed-up week (it asks for a sign-in)."""
    query = urlencode({"from": summary.period.start.isoformat(),
                       "to": summary.period.end.isoformat()})
    return f"{external_url('main.home').rstrip('/')}/reports?{query}"


def deliver_summary(user: User, summary: WeeklySummary) -> None:
    token = make_unsubscribe_token(current_app.config["SECRET_KEY"], user)
    unsubscribe_link = external_url("weekly_email.unsubscribe_page", token=token)
    start, end = summary.period.start, summary.period.end
    send_email(
        user.email, f"Your weekly summary for {start:%b} {start.day} – {end:%b} {end.day}",
        "weekly_summary",
        # RFC 8058: mail clients show an unsubscribe button that POSTs to the link at once.
        extra_headers={"List-Unsubscribe": f"<{unsubscribe_link}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        summary=summary, user=user, weekday=WEEKDAYS[user.weekly_email_weekday % 7],
        report_link=report_link(summary),
        unsubscribe_link=unsubscribe_link, settings_link=external_url("settings.profile"),
    )
