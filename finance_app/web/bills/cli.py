"""`flask insights recurring --user EMAIL [--today YYYY-MM-DD]`: find the series of a member's
household, then print one line per series the member sees,
`merchant=NAME interval=INTERVAL amount=X.XX next=YYYY-MM-DD kind=KIND`, and last `series=N`."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import AppGroup

from finance_app.extensions import db
from finance_app.services.households.membership import member_scope
from finance_app.services.identity.users import get_user_by_email
from finance_app.services.ledger.periods import user_today
from finance_app.services.recurring.anomalies import detect_anomalies
from finance_app.services.recurring.detection import detect_recurring
from finance_app.services.recurring.series import list_series

insights_cli = AppGroup("insights", help="Bills, subscriptions and anomalies of a household.")


@insights_cli.command("recurring")
@click.option("--user", "email", required=True, help="A member of the household, by email.")
@click.option("--today", default=None, help="Detect as on this day (YYYY-MM-DD).")
def recurring_command(email: str, today: str | None) -> None:
    """Find the recurring series of EMAIL's current household and print each one."""
    user = get_user_by_email(db.session, email)
    if user is None:
        click.echo(f"Error: no user {email!r}.", err=True)
        sys.exit(1)
    try:
        day = date.fromisoformat(today) if today else user_today(user.timezone)
    except ValueError:
        click.echo(f"Error: --today {today!r} is not a date; write it like 2026-03-31.",
                   err=True)
        sys.exit(1)
    scope = member_scope(db.session, user)
    detect_recurring(db.session, scope.household_id, day)
    detect_anomalies(db.session, scope.household_id, day)
    db.session.commit()
    series = list_series(db.session, scope)
    for s in series:
        next_due = s.next_due.isoformat() if s.next_due else "none"
        click.echo(f"merchant={s.merchant} interval={s.interval} "
                   f"amount={abs(s.expected_amount):.2f} next={next_due} kind={s.kind}")
    click.echo(f"series={len(series)}")
