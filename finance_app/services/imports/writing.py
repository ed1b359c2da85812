"""Writing a file's new rows in one go: COPY on PostgreSQL, one plain executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table` in the session's transaction.

    Below the ORM and Core statement layers on purpose: for 50,000 rows those cost more than the
    database itself. Values go through the columns' own bind processors (exact-decimal money,
    dates and JSON on SQLite), so they are stored exactly as an ORM insert would store them.
    Session events do not see this write: callers bump what depends on it themselves.
    """
    connection = session.connection()
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    processed = (
        tuple(value if process is None else process(value)
              for process, value in zip(processors, row, strict=True))
        for row in rows
    )
    quoted = [dialect.identifier_preparer.quote(name) for name in columns]
    name = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql":
        # COPY streams the rows in one statement: no per-row parsing, planning or round trip.
        driver = connection.connection.driver_connection
        statement = f"COPY {name} ({', '.join(quoted)}) FROM STDIN"
        cursor = driver.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(statement) as copy:
            for row in processed:
                copy.write_row(row)
        return
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {name} ({', '.join(quoted)}) VALUES ({marks})", list(processed))
