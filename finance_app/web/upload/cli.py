"""`flask import-file`: the upload pipeline from the command line, with the detected mapping."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from finance_app.extensions import db
from finance_app.importers import ImportFileError
from finance_app.models.ledger import ACCOUNT_TYPES
from finance_app.services import imports
from finance_app.services.errors import DomainError
from finance_app.services.households.membership import member_scope
from finance_app.services.identity import users


def _summary_line(rows: int = 0, imported: int = 0, duplicates: int = 0, errors: int = 0) -> str:
    return f"rows={rows} imported={imported} duplicates={duplicates} errors={errors}"


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    click.echo(_summary_line(errors=1))
    sys.exit(1)


@click.command("import-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "email", required=True, help="Email of the user who owns the account.")
@click.option("--account", "account_name", required=True,
              help="Account name; created if the user has none by that name.")
@click.option("--account-type", type=click.Choice(ACCOUNT_TYPES), default="checking",
              show_default=True, help="Type of the account when it is created.")
@click.option("--max-mb", type=int, default=None,
              help="Size limit in MB (default: the upload limit, MAX_UPLOAD_MB).")
def import_file_command(
    path: Path, email: str, account_name: str, account_type: str, max_mb: int | None
) -> None:
    """Import a bank export (CSV, XLSX, OFX/QFX, QIF) with the detected (or remembered) mapping.

    The last line printed is `rows=N imported=N duplicates=N errors=N`, where duplicates
    counts rows skipped as already imported plus rows held for review as probable duplicates.
    """
    user = users.get_user_by_email(db.session, email)
    if user is None:
        _fail(f"no user with the email {email}")
        return
    scope = member_scope(db.session, user)
    upload_dir = current_app.config["UPLOAD_DIR"]
    limit = max_mb * 1024 * 1024 if max_mb else current_app.config["MAX_CONTENT_LENGTH"]
    try:
        batch, preview = imports.stage_upload(
            db.session, scope, path.read_bytes(), path.name, upload_dir=upload_dir,
            max_bytes=limit, new_account=imports.NewAccount(account_name, account_type),
        )
        for line in preview.mapping.explanation:
            click.echo(f"  {line}")
        imports.confirm_import(db.session, scope, batch.id, upload_dir, preview.mapping)
        db.session.commit()
    except ImportFileError as exc:
        _fail(exc.message)
        return
    except DomainError as exc:
        _fail(exc.message)
        return

    from finance_app.tasks.imports import run_import_later

    run_import_later(scope, batch.id, inline=True)
    db.session.expire_all()
    batch = imports.get_batch(db.session, scope, batch.id)
    if batch.status != imports.COMPLETED:
        _fail(batch.failure or "the import failed; nothing was imported")
        return
    for error in batch.errors[:20]:
        click.echo(f"  row {error['row']}: {error['reason']}")
    if batch.error_count > 20:
        click.echo(f"  … and {batch.error_count - 20} more failed rows")
    click.echo(f"Imported into {account_name!r} (batch {batch.id}): "
               f"{batch.duplicate_count} already there, {batch.review_count} held for review, "
               f"{batch.skipped_count} summary lines ignored.")
    click.echo(_summary_line(batch.total_rows, batch.imported_count,
                             batch.duplicate_count + batch.review_count, batch.error_count))
