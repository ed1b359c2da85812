"""Everything a member can see, exported as JSON (and the transactions as CSV) — their data,
portable.

The export walks the metadata: every table with a `household_id` column (read through the
member's Scope, so other members' private accounts and their rows stay out), the person's own
tables with a `user_id` column (notifications, audit events), plus the link tables keyed by one
of those rows, so features added later are exported without touching this module. Secrets
(password and token hashes, encrypted tokens) are never exported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, or_, select

from finance_app import exports
from finance_app.db import Base, DbSession
from finance_app.exports import Amount, Cell
from finance_app.models.ledger import Account, Category, Transaction
from finance_app.models.user import User
from finance_app.services.scope import Scope, in_scope, scoped

SECRET_COLUMNS = {
    "password_hash",
    "token_hash",
    "code_hash",
    "totp_secret_encrypted",
    "access_token_encrypted",
}
SKIPPED_TABLES = {"user_sessions", "recovery_codes", "jobs", "memberships", "invitations",
                  "households", "users"}
USER_FIELDS = ("email", "name", "base_currency", "timezone", "locale", "created_at")


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row_dict(table: Table, row: Any) -> dict[str, Any]:
    return {
        column.name: json_value(getattr(row, column.name))
        for column in table.columns
        if column.name not in SECRET_COLUMNS
    }


def _is_owned(table: Table) -> bool:
    return "household_id" in table.columns or "user_id" in table.columns


def list_owned_tables() -> list[Table]:
    return [
        table
        for table in Base.metadata.sorted_tables
        if _is_owned(table) and table.name not in SKIPPED_TABLES
    ]


def _model_of(table: Table) -> Any:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def _link_tables(owned: list[Table]) -> dict[str, list[tuple[Table, str]]]:
    """Tables without an owner that hang off owned tables by foreign keys (split lines, tag
    links): table name -> every (owned parent, foreign-key column) it refers to."""
    links: dict[str, list[tuple[Table, str]]] = {}
    for table in Base.metadata.sorted_tables:
        if _is_owned(table) or table.name in SKIPPED_TABLES:
            continue
        parents = [(fk.column.table, fk.parent.name) for fk in table.foreign_keys
                   if fk.column.table in owned and fk.parent.name != "id"]
        if parents:
            links[table.name] = parents
    return links


def iter_export_json(session: DbSession, scope: Scope) -> Iterator[str]:
    """The export as chunks of one JSON document, streamed table by table."""
    yield '{"format": "ledgerly-export-1", "exported_at": '
    yield json.dumps(datetime.now().isoformat(timespec="seconds"))
    yield ', "profile": ' + json.dumps(export_profile(session, scope)) + ', "tables": {'
    first_table = True
    for table, rows in iter_owned_tables(session, scope):
        yield ("" if first_table else ", ") + json.dumps(table.name) + ": ["
        first_table = False
        for index, row in enumerate(rows):
            yield ("" if index == 0 else ", ") + json.dumps(_row_dict(table, row))
        yield "]"
    yield "}}"


def export_profile(session: DbSession, scope: Scope) -> dict[str, Any]:
    """The member's own profile fields (no secrets), as JSON-ready values."""
    user = session.get(User, scope.member_id)
    assert user is not None
    return {field: json_value(getattr(user, field)) for field in USER_FIELDS}


def exported_columns(table: Table) -> list[str]:
    """The columns of `table` an export holds: all but the secrets."""
    return [column.name for column in table.columns if column.name not in SECRET_COLUMNS]


def iter_owned_tables(session: DbSession, scope: Scope) -> Iterator[tuple[Table, Iterator[Any]]]:
    """(table, its rows) for every table the member's scope owns, each once; rows stream from
    the database. A link table comes after the last of its parents, holding only the rows whose
    every parent is in the scope (a split line of a hidden account's transaction stays out even
    though its category is shared)."""
    owned = list_owned_tables()
    links = _link_tables(owned)
    for table in owned:
        yield table, _stream(session, _scoped_rows(table, scope))
        for name, parents in links.items():
            if max(owned.index(parent) for parent, _ in parents) != owned.index(table):
                continue
            link = Base.metadata.tables[name]
            conditions = [
                or_(link.c[column].is_(None), link.c[column].in_(
                    select(parent.c.id).where(*_owner_conditions(parent, scope))))
                for parent, column in parents
            ]
            yield link, _stream(session, select(link).where(*conditions))


def _scoped_rows(table: Table, scope: Scope) -> Any:
    query = select(table).where(*_owner_conditions(table, scope))
    return query.order_by(table.c.id) if "id" in table.columns else query


def _owner_conditions(table: Table, scope: Scope) -> list[Any]:
    if "household_id" not in table.columns:
        return [table.c.user_id == scope.member_id]
    model = _model_of(table)
    return in_scope(model, scope) if model is not None else \
        [table.c.household_id == scope.household_id]


def _stream(session: DbSession, query: Any) -> Iterator[Any]:
    """Rows of `query` a thousand at a time; the cursor opens on the first row and is closed
    when the rows end or the reader stops."""
    result = session.execute(query.execution_options(yield_per=1000))
    try:
        yield from result
    finally:
        result.close()


CSV_HEADER = ["date", "account", "amount", "currency", "merchant", "description", "category",
              "notes", "tags", "pending", "excluded"]


def iter_transaction_rows(session: DbSession, scope: Scope) -> Iterator[list[Cell]]:
    """Every transaction the member sees, oldest first, as cells of CSV_HEADER."""
    categories = {c.id: c.name for c in session.scalars(scoped(Category, scope))}
    accounts = {a.id: a for a in session.scalars(scoped(Account, scope))}
    query = scoped(Transaction, scope).order_by(Transaction.date, Transaction.id)
    for txn in session.scalars(query.execution_options(yield_per=1000)):
        account = accounts.get(txn.account_id)
        currency = account.currency if account else ""
        yield [
            txn.date, account.name if account else "", Amount(txn.amount, currency), currency,
            txn.merchant, txn.raw_description, categories.get(txn.category_id or 0, ""),
            txn.notes, ";".join(tag.name for tag in txn.tags), txn.is_pending, txn.is_excluded,
        ]


def iter_transactions_csv(session: DbSession, scope: Scope) -> Iterator[str]:
    """Every transaction the member sees, as CSV chunks, amounts in their currency's decimals."""
    return exports.iter_csv(CSV_HEADER, iter_transaction_rows(session, scope))
