"""`flask plaid link-sandbox` / `flask plaid sync` for support and checks, and `flask keys
rotate`, which re-encrypts every stored token with the first TOKEN_ENCRYPTION_KEY key.

`flask plaid sync` prints, as its last line, `items=N added=N modified=N removed=N errors=N`.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.integrations.plaid import PlaidError, PlaidNotConfigured
from finance_app.models.household import Membership
from finance_app.models.user import User
from finance_app.services.bank_sync import items
from finance_app.services.bank_sync.syncing import list_syncable_item_ids
from finance_app.services.bank_sync.tokens import rotate_encrypted_secrets
from finance_app.services.errors import DomainError
from finance_app.services.households.membership import member_scope
from finance_app.tasks.bank_sync import plaid_client, sync_items_now

plaid_cli = AppGroup("plaid", help="Bank sync with Plaid: link sandbox Items, sync.")
keys_cli = AppGroup("keys", help="Encryption keys of stored tokens.")


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        _fail(f"no user {email}")
    assert user is not None
    return user


@plaid_cli.command("link-sandbox")
@click.option("--user", "email", required=True, help="Email of the user whose household links.")
@click.option("--institution", default="ins_109508", show_default=True,
              help="A sandbox institution id.")
def link_sandbox_command(email: str, institution: str) -> None:
    """Link a sandbox Item without Link (/sandbox/public_token/create + exchange); every
    account becomes a new account of the user's household."""
    user = _user(email)
    scope = member_scope(db.session, user)
    try:
        with plaid_client() as client:
            public_token = client.create_sandbox_public_token(
                institution, webhook=current_app.config.get("PLAID_WEBHOOK_URL"))
            item = items.link_item(db.session, scope, client, public_token,
                                   current_app.config["TOKEN_ENCRYPTION_KEY"])
        items.match_accounts(db.session, scope, item, {})
        db.session.commit()
    except PlaidNotConfigured as exc:
        _fail(str(exc))
        return
    except PlaidError as exc:
        _fail(f"Plaid said {exc.error_code or exc.status}: {exc.error_message}")
        return
    except DomainError as exc:
        _fail(exc.message)
        return
    click.echo(f"Linked {item.institution_name} (item {item.item_id}) for {user.email}: "
               f"{len(item.accounts)} accounts")


@plaid_cli.command("sync")
@click.option("--user", "email", default=None, help="Only the Items of this user's households.")
def sync_command(email: str | None) -> None:
    """Sync every Item (of one user's households) now, in this process."""
    households = None
    if email:
        user = _user(email)
        households = list(db.session.scalars(
            select(Membership.household_id).where(Membership.user_id == user.id)))
    try:
        totals = sync_items_now(list_syncable_item_ids(db.session, households), "cli")
    except PlaidNotConfigured as exc:
        _fail(str(exc))
        return
    click.echo(" ".join(f"{key}={totals[key]}"
                        for key in ("items", "added", "modified", "removed", "errors")))


@keys_cli.command("rotate")
def rotate_command() -> None:
    """Re-encrypt every Plaid access token and TOTP secret with the first key of
    TOKEN_ENCRYPTION_KEY (keys are comma-separated; the others may then be dropped)."""
    counts = rotate_encrypted_secrets(db.session, current_app.config["TOKEN_ENCRYPTION_KEY"])
    db.session.commit()
    click.echo(f"Re-encrypted {counts['plaid_tokens']} Plaid tokens and "
               f"{counts['totp_secrets']} two-factor secrets with the first key.")
