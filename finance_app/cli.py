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
        from finance_app.services.demo import seed_demo

        result = seed_demo(db.session, email)
        db.session.commit()
        click.echo(f"Demo account ready: {result.email}")
        click.echo(f"Password: {result.password}")
        for line in result.summary:
            click.echo(f"  {line}")

    for group in feature_cli_groups():
        app.cli.add_command(group)


def feature_cli_groups() -> list:
    """CLI groups and commands of features; each feature adds its own here."""
    from finance_app.ml.cli import categorizer_cli
    from finance_app.web.upload.cli import import_file_command

    return [import_file_command, categorizer_cli]
