"""`flask badges evaluate --user EMAIL`: award what a member's household has earned, then print
every badge: `KEY earned=YYYY-MM-DD|no progress=N/M`, and last `earned=N locked=N`."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

import click
from flask.cli import AppGroup

from finance_app.extensions import db
from finance_app.services.badges import evaluation
from finance_app.services.badges.rules import RULES
from finance_app.services.households.membership import member_scope
from finance_app.services.identity.users import get_user_by_email
from finance_app.services.ledger.periods import user_today

badges_cli = AppGroup("badges", help="Badges of a household.")


def _number(value: int | Decimal) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


@badges_cli.command("evaluate")
@click.option("--user", "email", required=True, help="A member of the household, by email.")
@click.option("--today", default=None, help="Evaluate as on this day (YYYY-MM-DD).")
def evaluate_command(email: str, today: str | None) -> None:
    """Award the badges EMAIL's current household has earned and print each one's state."""
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
    evaluation.award_badges(db.session, scope.household_id, day)
    db.session.commit()
    statuses = evaluation.list_badges(db.session, scope, user, day, measure_earned=True)
    order = {rule.key: n for n, rule in enumerate(RULES)}
    for status in sorted(statuses, key=lambda s: order[s.rule.key]):
        earned = status.award.awarded_on.isoformat() if status.award else "no"
        progress = status.progress
        assert progress is not None
        click.echo(f"{status.rule.key} earned={earned} "
                   f"progress={_number(progress.current)}/{_number(progress.needed)}")
    earned_count, locked_count = evaluation.count_badges(statuses)
    click.echo(f"earned={earned_count} locked={locked_count}")
