"""A per-household ledger version: a token that changes on every write to a household's ledger.

Expensive figures (dashboard, budgets) are cached under keys that include this token, so a cache
entry is never stale: it is simply no longer asked for once the ledger changes. No timers.

Writers do not need to remember anything: a session hook bumps the version whenever a flush
inserts, updates or deletes an Account, Category, Transaction, SplitLine, ExchangeRate, Budget,
BudgetAmount or Goal (the dashboard's getting-started checklist asks for a first goal), and when
an ORM-enabled bulk `update(Model)` / `delete(Model)` / `insert(Model)` touches those tables.
Code that writes with Core statements on the bare tables (or raw SQL) must call
`bump_ledger_version(session, household_id)` itself.

The token is random rather than a counter so that a version bumped inside a transaction that is
later rolled back can never be reused for different data.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from finance_app.db import DbSession, utcnow
from finance_app.models.budget import Budget, BudgetAmount
from finance_app.models.goal import Goal
from finance_app.models.investment import InvestmentSettings, SecurityPrice, Trade
from finance_app.models.ledger import Account, Category, ExchangeRate, SplitLine, Transaction
from finance_app.models.notification import LedgerVersion

# Models whose rows change what the dashboard and budgets show.
TRACKED_WITH_HOUSEHOLD: tuple[type, ...] = (
    Account, Category, Transaction, ExchangeRate, Budget, BudgetAmount, Goal,
    # Investment accounts count their securities at market value in net worth.
    Trade, SecurityPrice, InvestmentSettings,
)
_TABLE = cast(Table, LedgerVersion.__table__)


def _new_token() -> int:
    return secrets.randbits(62)


def bump_ledger_version(session: DbSession, household_id: int) -> None:
    """Give `household_id` a new ledger version (inside the caller's transaction)."""
    bump_ledger_versions(session, [household_id])


def bump_ledger_versions(session: DbSession, household_ids: Iterable[int]) -> None:
    ids = sorted({int(u) for u in household_ids if u is not None})
    if not ids:
        return
    session.info.setdefault(_CHANGED, set()).update(ids)
    connection = session.connection()
    dialect = connection.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for uid in ids:  # sorted, so two writers never lock the rows in opposite orders
        token = _new_token()
        stmt = insert(_TABLE).values(household_id=uid, version=token, updated_at=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=["household_id"], set_={"version": token, "updated_at": now}
        )
        connection.execute(stmt)


_CHANGED = "ledger.households_changed"
_COMMITTED = "ledger.households_committed"


def pop_committed_ledger_changes(session: DbSession) -> set[int]:
    """Households whose ledger changed in transactions this session committed since last asked
    (what a request hands to the jobs that follow writes, e.g. budget alerts)."""
    return session.info.pop(_COMMITTED, set())


@event.listens_for(Session, "after_commit")
def _ledger_committed(session: DbSession) -> None:
    changed = session.info.pop(_CHANGED, None)
    if changed:
        session.info.setdefault(_COMMITTED, set()).update(changed)


@event.listens_for(Session, "after_rollback")
def _ledger_rolled_back(session: DbSession) -> None:
    session.info.pop(_CHANGED, None)


def get_ledger_version(session: DbSession, household_id: int) -> int:
    """The current version token (0 when the household has never written anything)."""
    value = session.execute(
        select(LedgerVersion.version).where(LedgerVersion.household_id == household_id)
    ).scalar()
    return int(value or 0)


# ------------------------------------------------------------------ automatic bumps


def _households_of_flush(session: DbSession) -> set[int]:
    households: set[int] = set()
    split_txn_ids: set[int] = set()
    # session.dirty builds a new set on every access: take it once, or a flush of n rows costs n².
    dirty = session.dirty
    for obj in (*session.new, *dirty, *session.deleted):
        if isinstance(obj, TRACKED_WITH_HOUSEHOLD):
            household_id = getattr(obj, "household_id", None)
            if household_id is None or int(household_id) in households:
                continue
            if obj in dirty and not session.is_modified(obj, include_collections=False):
                continue
            households.add(int(household_id))
        elif isinstance(obj, SplitLine):
            if obj.transaction_id is not None:
                split_txn_ids.add(obj.transaction_id)
            elif obj.transaction is not None and obj.transaction.household_id is not None:
                households.add(obj.transaction.household_id)
    if split_txn_ids:
        rows = session.connection().execute(
            select(Transaction.__table__.c.household_id).where(
                Transaction.__table__.c.id.in_(split_txn_ids)
            )
        )
        households.update(int(r[0]) for r in rows)
    return households


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: DbSession, _context: Any) -> None:
    households = _households_of_flush(session)
    if households:
        bump_ledger_versions(session, households)


def _insert_rows(state: ORMExecuteState) -> list[dict[str, Any]]:
    """The rows of an INSERT: executemany parameters, or `.values(...)` given to the statement."""
    params = state.parameters
    rows = ([dict(r) for r in params] if isinstance(params, list)
            else [dict(cast(Mapping[str, Any], params or {}))])
    statement: Any = state.statement
    inline = [getattr(statement, "_values", None) or {}]
    inline += [row for batch in getattr(statement, "_multi_values", ()) or () for row in batch]
    for values in inline:
        if isinstance(values, dict) and values:
            rows.append({str(getattr(k, "key", k)): getattr(v, "value", v)
                         for k, v in values.items()})
    return rows


def _households_of_bulk(state: ORMExecuteState) -> set[int] | None:
    """User ids a bulk ORM statement will touch, or None when it touches no tracked table."""
    mapper = state.bind_mapper
    entity = mapper.class_ if mapper is not None else None
    if entity not in (*TRACKED_WITH_HOUSEHOLD, SplitLine):
        return None
    statement: Any = state.statement
    session = state.session
    if state.is_insert:
        values = _insert_rows(state)
        if entity is SplitLine:
            txn_ids = {r.get("transaction_id") for r in values if r.get("transaction_id")}
            if not txn_ids:
                return set()
            found = session.connection().execute(
                select(Transaction.__table__.c.household_id).where(
                    Transaction.__table__.c.id.in_(txn_ids)
                )
            )
            return {int(r[0]) for r in found}
        return {int(r["household_id"]) for r in values if r.get("household_id") is not None}
    table = entity.__table__
    where = statement.whereclause
    if entity is SplitLine:
        txns = Transaction.__table__
        query = select(txns.c.household_id).distinct().join_from(
            table, txns, table.c.transaction_id == txns.c.id
        )
    else:
        query = select(table.c.household_id).distinct()
    params = state.parameters
    if where is None and isinstance(params, list) and params and "id" in params[0]:
        # ORM "bulk update by primary key": the rows are named by their ids in the parameters.
        where = table.c.id.in_([p["id"] for p in params])
    if where is not None:
        query = query.where(where)
    return {int(r[0]) for r in session.connection().execute(query)}


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    households = _households_of_bulk(state)
    if households:
        bump_ledger_versions(state.session, households)
