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

from sqlalchemy import Table, select

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


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row_dict(table: Table, row: Any) -> dict[str, Any]:
    return {
        column.name: _plain(getattr(row, column.name))
        for column in table.columns
        if column.name not in SECRET_COLUMNS
    }


def _is_owned(table: Table) -> bool:
    return "household_id" in table.columns or "user_id" in table.columns


def _owned_tables() -> list[Table]:
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


def _child_tables(parent: Table) -> list[tuple[Table, str]]:
    """Tables without an owner that hang off `parent` by a foreign key (split lines, tag links)."""
    children = []
    for table in Base.metadata.sorted_tables:
        if _is_owned(table) or table.name in SKIPPED_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is parent and fk.parent.name != "id":
                children.append((table, fk.parent.name))
                break
    return children


def iter_export_json(session: DbSession, scope: Scope) -> Iterator[str]:
    """The export as chunks of one JSON document, streamed table by table."""
    user = session.get(User, scope.member_id)
    assert user is not None
    profile = {field: _plain(getattr(user, field)) for field in USER_FIELDS}
    yield '{"format": "ledgerly-export-1", "exported_at": '
    yield json.dumps(datetime.now().isoformat(timespec="seconds"))
    yield ', "profile": ' + json.dumps(profile) + ', "tables": {'
    first_table = True
    for table in _owned_tables():
        for name, rows in _table_rows(session, table, scope):
            yield ("" if first_table else ", ") + json.dumps(name) + ": ["
            first_table = False
            for index, row in enumerate(rows):
                yield ("" if index == 0 else ", ") + json.dumps(row)
            yield "]"
    yield "}}"


def _owner_conditions(table: Table, scope: Scope) -> list[Any]:
    if "household_id" not in table.columns:
        return [table.c.user_id == scope.member_id]
    model = _model_of(table)
    return in_scope(model, scope) if model is not None else \
        [table.c.household_id == scope.household_id]


def _table_rows(
    session: DbSession, table: Table, scope: Scope
) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    conditions = _owner_conditions(table, scope)
    query = select(table).where(*conditions)
    if "id" in table.columns:
        query = query.order_by(table.c.id)
    yield table.name, (_row_dict(table, row) for row in session.execute(query))
    for child, fk_column in _child_tables(table):
        parent_ids = select(table.c.id).where(*conditions).scalar_subquery()
        child_query = select(child).where(child.c[fk_column].in_(parent_ids))
        yield child.name, (_row_dict(child, row) for row in session.execute(child_query))


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
