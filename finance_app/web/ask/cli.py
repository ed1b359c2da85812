"""`flask ask --user EMAIL [--today YYYY-MM-DD] "QUESTION"`: the interpretation, the lines
behind the answer, and as the last line `answer=X` (or `answer=unknown`)."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext

from finance_app.extensions import db
from finance_app.money import format_money
from finance_app.services.ask.answer import ask
from finance_app.services.households.membership import member_scope
from finance_app.services.identity.users import get_user_by_email
from finance_app.services.ledger.periods import user_today


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        click.echo(f"Error: --today {value!r} is not a date; write it like 2026-10-31.",
                   err=True)
        sys.exit(1)


@click.command("ask")
@click.option("--user", "email", required=True, help="Whose household to ask about.")
@click.option("--today", "today_text", default=None,
              help="Read dates as if today were YYYY-MM-DD (default: the user's today).")
@click.argument("question")
@with_appcontext
def ask_command(email: str, today_text: str | None, question: str) -> None:
    """Answer QUESTION about the household of --user, read on this machine."""
    user = get_user_by_email(db.session, email)
    if user is None:
        click.echo(f"Error: no user {email}.", err=True)
        sys.exit(1)
    today = _parse_day(today_text) or user_today(user.timezone)
    answer = ask(db.session, member_scope(db.session, user), user.base_currency, today,
                 question)
    click.echo(answer.interpretation)
    if answer.reading.query is None:
        click.echo(answer.reading.problem)
        for suggestion in answer.reading.suggestions[:5]:
            click.echo(f"  try: {suggestion}")
    else:
        for figure in answer.figures:
            click.echo(f"  {figure.label}: {format_money(figure.amount, answer.currency)}"
                       f" ({figure.count} transactions)")
        for line in answer.lines:
            click.echo(f"  {line.date.isoformat()} {line.merchant}: "
                       f"{format_money(line.amount, answer.currency)}")
        if answer.note:
            click.echo(f"  {answer.note}")
    click.echo(answer.cli_answer)
