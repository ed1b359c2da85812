"""CLI commands: `flask demo` and each feature's commands."""

from __future__ import annotations

import click
from flask import Flask

from finance_app.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--email", default="demo@example.com", show_default=True)
    def demo_command(email: str) -> None:
        """Create (idempotently) the demo user with realistic data for every feature."""
        from finance_app.services.demo.seed import seed_demo

        result = seed_demo(db.session, email)
        db.session.commit()
        click.echo(f"Demo account ready: {result.email}")
        click.echo(f"Password: {result.password}")
        for line in result.summary:
            click.echo(f"  {line}")

    @app.cli.group("users")
    def users_cli() -> None:
        """Manage users of the site."""

    @users_cli.command("make-admin")
    @click.argument("email")
    def make_admin_command(email: str) -> None:
        """Make EMAIL a site administrator (sees users and job queues, not households' money)."""
        from finance_app.services.errors import NotFound
        from finance_app.services.households.admin import make_admin

        try:
            user = make_admin(db.session, email)
        except NotFound as exc:
            raise click.ClickException(exc.message) from exc
        db.session.commit()
        click.echo(f"{user.email} is a site administrator")

    for group in feature_cli_groups():
        app.cli.add_command(group)


def feature_cli_groups() -> list:
    """CLI groups and commands of features; each feature adds its own here."""
    from finance_app.ml.cli import categorizer_cli
    from finance_app.web.ask.cli import ask_command
    from finance_app.web.badges.cli import badges_cli
    from finance_app.web.bank_sync.cli import keys_cli, plaid_cli
    from finance_app.web.bills.cli import insights_cli
    from finance_app.web.debts.cli import debts_cli
    from finance_app.web.investments.cli import investments_cli
    from finance_app.web.reports.cli import reports_cli
    from finance_app.web.reports.weekly_cli import weekly_command
    from finance_app.web.upload.cli import import_file_command

    reports_cli.add_command(weekly_command)  # `flask reports weekly`: the weekly summary email
    return [import_file_command, categorizer_cli, debts_cli, reports_cli, badges_cli,
            investments_cli, insights_cli, plaid_cli, keys_cli, ask_command]
