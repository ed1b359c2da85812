"""The full export of a member's data as one ZIP: every table the household owns as CSV and JSON,
the stored files (receipts, generated reports) and a README explaining them.

Built from the same walk of the metadata as the JSON export (`data_export`), so a table added by
a later feature is in the ZIP without touching this module. Files stored on disk are found by
`STORED_FILES`: a table, the column holding the file's key and the setting naming the directory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, select

from finance_app import exports
from finance_app.db import DbSession
from finance_app.services.identity.data_export import (
    export_profile,
    exported_columns,
    iter_owned_tables,
    iter_transactions_csv,
    json_value,
    list_owned_tables,
)
from finance_app.services.scope import Scope

ARCHIVE_FORMAT = "ledgerly-archive-1"


@dataclass(frozen=True)
class StoredFiles:
    """Files kept on disk for the rows of `table`: `key_column` is the path under the directory
    named by the `directory_setting`, `name_column` the name the person gave it (if any)."""

    table: str
    key_column: str
    directory_setting: str
    name_column: str | None = None


STORED_FILES = (
    StoredFiles("attachments", "storage_key", "ATTACHMENT_DIR", "filename"),
    StoredFiles("report_files", "storage_key", "REPORT_DIR", "filename"),
)

README = """Ledgerly data export
====================

Exported {exported_at} for {email} (household "{household}").

Files
-----
profile.json            Your profile (email, name, currency, time zone, locale).
transactions.csv        Every transaction you can see, one row each, in the format the
                        import reads back: date, account, amount (in the account's
                        currency, negative = money out), merchant, category, notes, tags.
tables/NAME.csv         Every table holding your household's data, one file per table,
tables/NAME.json        as CSV (for spreadsheets) and JSON (for programs). Columns are the
                        database's own; `*_id` columns refer to the `id` of another table
                        (category_id -> tables/categories, account_id -> tables/accounts).
files/TABLE/ID-NAME     The files stored with those rows: receipts (attachments) and
                        generated reports, named by the row's id and original name.

Amounts are exact decimals, written as text in JSON ("-12.34") so no precision is lost.
Dates are ISO 8601 (YYYY-MM-DD); times are UTC. Secrets (password hashes, encrypted bank
tokens, session tokens) are never exported. Other members' private accounts are not included.

Tables in this export: {table_count}. Rows: {row_count}. Stored files: {file_count}.
"""


@dataclass(frozen=True)
class ArchiveSummary:
    tables: int
    rows: int
    files: int


Progress = Callable[[int, str], None]


def write_data_archive(session: DbSession, scope: Scope, out: IO[bytes], *,
                       settings: Mapping[str, Any], household_name: str = "",
                       progress: Progress | None = None) -> ArchiveSummary:
    """Write the ZIP of everything `scope` sees to `out`; `settings` names the file directories."""
    report = progress or (lambda percent, message: None)
    tables = rows = files = 0
    profile = export_profile(session, scope)
    table_count = len(list_owned_tables()) or 1
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", json.dumps(profile, indent=2))
        with archive.open("transactions.csv", "w") as handle:
            for chunk in iter_transactions_csv(session, scope):
                handle.write(chunk.encode())
        for table, table_rows in iter_owned_tables(session, scope):
            report(5 + 85 * min(tables, table_count) // table_count, f"Writing {table.name}")
            count, ids = _write_table(archive, table, table_rows)
            tables += 1
            rows += count
            files += _write_stored_files(session, archive, table, ids, settings)
        report(90, "Writing the README")
        archive.writestr("README.txt", README.format(
            exported_at=datetime.now().isoformat(timespec="seconds"),
            email=profile.get("email", ""), household=household_name,
            table_count=tables, row_count=rows, file_count=files))
    return ArchiveSummary(tables=tables, rows=rows, files=files)


def _write_table(archive: zipfile.ZipFile, table: Table,
                 rows: Iterable[Any]) -> tuple[int, list[int]]:
    """tables/NAME.csv and tables/NAME.json from one pass over the rows; (rows, their ids).
    A ZIP takes one entry at a time, so the JSON waits in a spooled file while the CSV streams."""
    columns = exported_columns(table)
    has_id = "id" in table.columns
    ids: list[int] = []
    counted = [0]
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as json_buffer:
        json_buffer.write(b"[")

        def values() -> Iterator[list[Any]]:
            for index, row in enumerate(rows):
                cells = [getattr(row, name) for name in columns]
                record = {name: json_value(v) for name, v in zip(columns, cells, strict=True)}
                json_buffer.write((b",\n" if index else b"") + json.dumps(record).encode())
                if has_id:
                    ids.append(row.id)
                counted[0] = index + 1
                yield cells

        with archive.open(f"tables/{table.name}.csv", "w") as csv_file:
            for chunk in exports.iter_csv(columns, values()):
                csv_file.write(chunk.encode())
        json_buffer.write(b"]")
        json_buffer.seek(0)
        with archive.open(f"tables/{table.name}.json", "w") as json_file:
            shutil.copyfileobj(json_buffer, json_file)
    return counted[0], ids


def _write_stored_files(session: DbSession, archive: zipfile.ZipFile, table: Table,
                        ids: list[int], settings: Mapping[str, Any]) -> int:
    spec = next((s for s in STORED_FILES if s.table == table.name), None)
    if spec is None or not ids or not settings.get(spec.directory_setting):
        return 0
    directory = Path(settings[spec.directory_setting]).resolve()
    name_column = table.c[spec.name_column] if spec.name_column else table.c[spec.key_column]
    written = 0
    for start in range(0, len(ids), 500):
        query = select(table.c.id, table.c[spec.key_column], name_column).where(
            table.c.id.in_(ids[start:start + 500]))
        for row_id, key, name in session.execute(query):
            path = (directory / str(key)).resolve()
            # A key can only name a file inside its directory; anything else is skipped.
            if directory not in path.parents or not path.is_file():
                continue
            archive.write(path, f"files/{table.name}/{row_id}-{Path(str(name)).name}")
            written += 1
    return written


def archive_path(export_dir: str | Path, user_id: int, name: str) -> Path:
    """Where a member's archive `name` is kept; only a plain file name is accepted."""
    if Path(name).name != name or not name.endswith(".zip"):
        raise ValueError("not an archive name")
    return Path(export_dir) / str(int(user_id)) / name


def remove_archives(export_dir: str | Path, *, user_id: int | None = None,
                    older_than: datetime | None = None) -> int:
    """Delete a member's archives (all of them, or every member's older than a time)."""
    root = Path(export_dir)
    folders = [root / str(user_id)] if user_id is not None else \
        [p for p in root.glob("*") if p.is_dir()]
    removed = 0
    for folder in folders:
        for path in folder.glob("*.zip"):
            if older_than is None or datetime.fromtimestamp(path.stat().st_mtime) < older_than:
                path.unlink(missing_ok=True)
                removed += 1
    return removed
