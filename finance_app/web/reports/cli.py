"""`flask reports ...`: report commands (export here; other features add theirs to this group).

`flask reports export` writes the summary report of a user's household and prints, as its last
line, `income=X.XX spending=X.XX net=X.XX transactions=N` (spending positive, transfers and
excluded rows left out, as on the dashboard).
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import click
from flask.cli import AppGroup

from finance_app.extensions import db
from finance_app.money import currency_quantum, quantize
from finance_app.reports.data import Totals
from finance_app.services.errors import DomainError
from finance_app.services.households.membership import member_scope
from finance_app.services.identity import users
from finance_app.services.ledger.periods import user_today
from finance_app.services.reports.exporting import CSV, PDF, XLSX, export_report
from finance_app.services.reports.params import SUMMARY, ReportParams

reports_cli = AppGroup("reports", help="Export reports.")


def summary_line(totals: Totals, currency: str) -> str:
    """The CLI's last line, in the currency's own decimals."""
    def text(value: Decimal) -> str:
        return format(quantize(value, currency_quantum(currency)), "f")

    return (f"income={text(totals.income)} spending={text(totals.spending)} "
            f"net={text(totals.net)} transactions={totals.transactions}")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option} {text!r} is not a date; write it as YYYY-MM-DD.")
        raise


@reports_cli.command("export")
@click.option("--user", "email", required=True, help="Email of the member whose view it is.")
@click.option("--from", "start_text", required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "end_text", required=True, help="Last day, YYYY-MM-DD.")
@click.option("--format", "file_format", type=click.Choice([PDF, CSV, XLSX]), required=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the file.")
def export_command(email: str, start_text: str, end_text: str, file_format: str,
                   out: Path) -> None:
    """Write the summary report of EMAIL's household for a period to --out."""
    user = users.get_user_by_email(db.session, email)
    if user is None:
        _fail(f"no user with the email {email}.")
        return
    start, end = _day(start_text, "--from"), _day(end_text, "--to")
    try:
        params = ReportParams(start=start, end=end, kind=SUMMARY)
        scope = member_scope(db.session, user)
    except DomainError as exc:
        _fail(exc.message)
        return
    currency = user.base_currency or "USD"
    data, body = export_report(db.session, scope, currency, user_today(user.timezone), params,
                               file_format)
    try:
        out.write_bytes(body)
    except OSError as exc:
        _fail(f"could not write {out}: {exc.strerror}.")
    click.echo(f"{data.title}: {data.household}, {start.isoformat()} to {end.isoformat()}, "
               f"{currency}")
    click.echo(f"Wrote {out} ({len(body)} bytes)")
    click.echo(summary_line(data.totals, currency))
