"""`flask reports weekly [--now]`: send the weekly summary emails that are due, now.

Its last line is exactly `sent=N skipped=N failed=N` (skipped: members due this week whose
email another run already sent, is sending, or gave up on)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from finance_app.tasks.weekly_summary import send_weekly_summaries


@click.command("weekly")
@with_appcontext
@click.option("--now", "ignore_hour", is_flag=True,
              help="Send everyone who has not had this week's email, whatever their hour.")
def weekly_command(ignore_hour: bool) -> None:
    """Send the weekly summary emails that are due (the scheduler does it every 15 minutes)."""
    counts = send_weekly_summaries(ignore_hour=ignore_hour)
    click.echo(f"sent={counts['sent']} skipped={counts['skipped']} failed={counts['failed']}")
