"""`flask investments import-trades | import-prices | gains`.

- `import-trades FILE.csv --user EMAIL --account NAME [--dry-run]`: the trades file into the
  member's investment account NAME (created when the household has none by that name); last
  line `rows=N added=N duplicates=N` (with --dry-run: what it would add, nothing written).
- `import-prices FILE.csv [--user EMAIL]`: closing prices (`date,symbol,close`) for the member's
  household, or without --user for every household holding those symbols; last line
  `rows=N added=N updated=N`.
- `gains --user EMAIL --year YYYY [--method fifo|lifo|hifo|average]`: one line per closed lot,
  then last `proceeds=X.XX cost=X.XX realized=X.XX short_term=X.XX long_term=X.XX`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.investment import AVERAGE, FIFO, HIFO, LIFO, Security
from finance_app.models.user import User
from finance_app.services.accounts import AccountInput, create_account
from finance_app.services.errors import DomainError
from finance_app.services.households.membership import member_scope
from finance_app.services.identity.users import get_user_by_email
from finance_app.services.investments import files, overview, records
from finance_app.services.scope import Scope, household_scope

investments_cli = AppGroup("investments", help="Investment accounts: trades, prices, gains.")


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _user(email: str) -> User:
    user = get_user_by_email(db.session, email)
    if user is None:
        _fail(f"no user with the email {email}.")
    assert user is not None
    return user


def _read(path: Path) -> bytes:
    return path.read_bytes()


@investments_cli.command("import-trades")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="A member of the household, by email.")
@click.option("--account", "account_name", required=True,
              help="The investment account; created when the household has none by that name.")
@click.option("--dry-run", is_flag=True, help="Check the file and count; write nothing.")
def import_trades_command(path: Path, email: str, account_name: str, dry_run: bool) -> None:
    """Import a trades file (date,symbol,action,quantity,price,fees) into an account."""
    scope = member_scope(db.session, _user(email))
    account = records.find_investment_account(db.session, scope, account_name)
    created = account is None
    try:
        if account is None:
            account = create_account(db.session, scope,
                                     AccountInput(name=account_name, type=records.INVESTMENT,
                                                  icon="graph-up"))
        result = files.import_trades_file(db.session, scope, account, _read(path))
    except DomainError as exc:
        _fail(exc.message)  # the new account is rolled back with the trades
        return
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.")
    else:
        db.session.commit()
        if created:
            click.echo(f"Created the investment account {account_name!r}.")
    click.echo(f"rows={result.rows} added={result.added} duplicates={result.duplicates}")


@investments_cli.command("import-prices")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", default=None,
              help="Only this member's household (default: every household with the symbols).")
def import_prices_command(path: Path, email: str | None) -> None:
    """Import closing prices (date,symbol,close), kept as a history."""
    data = _read(path)
    scopes: list[Scope]
    if email:
        scopes = [member_scope(db.session, _user(email))]
    else:
        households = db.session.scalars(select(Security.household_id).distinct()).all()
        scopes = [household_scope(int(h)) for h in sorted(households)]
    rows = added = updated = 0
    try:
        if not email:
            # Only symbols a household holds: prices are shared facts, securities are not.
            parsed = files.parse_prices(data)
            rows = len(parsed)
            for scope in scopes:
                held = {s.symbol for s in records.list_securities(db.session, scope)}
                result = records.record_prices(db.session, scope, [
                    p for p in parsed if p.symbol in held])
                added, updated = added + result.added, updated + result.duplicates
        else:
            done = files.import_prices_file(db.session, scopes[0], data)
            rows, added, updated = done.rows, done.added, done.duplicates
    except DomainError as exc:
        _fail(exc.message)
        return
    db.session.commit()
    click.echo(f"rows={rows} added={added} updated={updated}")


@investments_cli.command("gains")
@click.option("--user", "email", required=True, help="A member of the household, by email.")
@click.option("--year", type=int, required=True, help="The tax year, e.g. 2025.")
@click.option("--method", type=click.Choice([FIFO, LIFO, HIFO, AVERAGE]), default=None,
              help="Lots sold by this method (default: each account's own; FIFO unless set).")
def gains_command(email: str, year: int, method: str | None) -> None:
    """Realized gains of a year, lot by lot, and the totals as the last line."""
    scope = member_scope(db.session, _user(email))
    try:
        report = overview.realized_gains(db.session, scope, year, method)
    except DomainError as exc:
        _fail(exc.message)
        return
    for d in report.disposals:
        term = "long" if d.is_long_term else "short"
        wash = f" wash_disallowed={d.wash_disallowed:.2f}" if d.is_wash_sale else ""
        click.echo(f"{d.sold.isoformat()} {d.symbol} quantity={d.quantity.normalize():f} "
                   f"acquired={d.acquired.isoformat()} proceeds={d.proceeds:.2f} "
                   f"cost={d.cost:.2f} gain={d.gain:.2f} term={term}{wash}")
    click.echo(overview.gains_line(report.totals))
