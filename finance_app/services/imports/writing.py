"""Writing a file's new rows in one go: COPY on PostgreSQL, one plain executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table

from finance_app.db import DbSession


def insert_rows(
    session: DbSession,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert `rows` (values in the order of `columns`, then `constants` common to every row)
    into `table`, in the session's transaction.

    Below the ORM and Core statement layers on purpose: for 50,000 rows those cost more than the
    database itself. Values go through the columns' own bind processors (exact-decimal money,
    dates and JSON on SQLite), so they are stored exactly as an ORM insert would store them.
    Session events do not see this write: callers bump what depends on it themselves.
    """
    connection = session.connection()
    dialect = connection.dialect

    def processor(name: str) -> Any:
        return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    # Common values are converted once, not once per row.
    fixed = tuple(value if (process := processor(name)) is None else process(value)
                  for name, value in (constants or {}).items())
    processors = [(i, process) for i, name in enumerate(columns) if (process := processor(name))]
    processed = (_process(row, processors, fixed) for row in rows)
    quoted = [dialect.identifier_preparer.quote(name) for name in (*columns, *(constants or {}))]
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
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in quoted)
    connection.exec_driver_sql(
        f"INSERT INTO {name} ({', '.join(quoted)}) VALUES ({marks})", list(processed))


def _process(row: Sequence[Any], processors: list[tuple[int, Any]], fixed: tuple) -> tuple:
    if not processors:
        return (*row, *fixed)
    values = list(row)
    for index, process in processors:
        values[index] = process(values[index])
    return (*values, *fixed)
