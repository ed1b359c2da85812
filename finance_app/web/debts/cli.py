"""`flask debts plan FILE.csv`: the payoff planner on a file of debts, no database involved.

The printed lines are described in `services/debts/planfile.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from finance_app.money import MoneyError, parse_amount
from finance_app.services.debts.planfile import PlanFileError, plan_lines, read_debts_csv
from finance_app.services.debts.planner import AVALANCHE, SNOWBALL, PlanInputError, plan_payoff

debts_cli = AppGroup("debts", help="Plan paying off debts.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@debts_cli.command("plan")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strategy", type=click.Choice([SNOWBALL, AVALANCHE]), default=SNOWBALL,
              show_default=True, help="Which debt the extra goes to first.")
@click.option("--extra", default="0", show_default=True,
              help="Extra amount a month on top of the minimums, e.g. 150.00.")
def plan_command(path: Path, strategy: str, extra: str) -> None:
    """Plan paying off the debts of PATH (columns name,balance,apr,minimum)."""
    try:
        extra_amount = parse_amount(extra, ".")
    except MoneyError:
        _fail(f"--extra {extra!r} is not an amount; write it like 150.00.")
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"{path.name} is not a UTF-8 text file.")
        return
    try:
        debts = read_debts_csv(text)
        plan = plan_payoff(debts, strategy, extra_amount)
    except (PlanFileError, PlanInputError) as exc:
        _fail(f"{path.name}: {exc}" if isinstance(exc, PlanFileError) else f"--extra: {exc}")
        return
    for line in plan_lines(plan):
        click.echo(line)
