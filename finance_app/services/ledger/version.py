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

The monthly ledger summary is cached by month, and a write to one month should not make five
years of months be read again. So a write also stamps the calendar months of the transactions it
inserted, changed (their old and new dates) or deleted (`ledger_month_stamps`), and a write that
may change every month (an account or a category: their currency and kind are part of each
month's lines; a bulk update or delete; an explicit `bump_ledger_version`) gives the household a
new `summary_base`. A cached month is keyed by (summary base, month, its stamp). Writes the
flush cannot date (an expired date) count as every month: being wrong the safe way.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from finance_app.db import DbSession, utcnow
from finance_app.models.budget import Budget, BudgetAmount
from finance_app.models.goal import Goal
from finance_app.models.investment import InvestmentSettings, SecurityPrice, Trade
from finance_app.models.ledger import Account, Category, ExchangeRate, SplitLine, Transaction
from finance_app.models.notification import LedgerMonthStamp, LedgerVersion

# Models whose rows change what the dashboard and budgets show.
TRACKED_WITH_HOUSEHOLD: tuple[type, ...] = (
    Account, Category, Transaction, ExchangeRate, Budget, BudgetAmount, Goal,
    # Investment accounts count their securities at market value in net worth.
    Trade, SecurityPrice, InvestmentSettings,
)
# Models whose rows are part of every month's summary lines (an account's currency, a
# category's kind and parent): a change to one of them may change every month.
EVERY_MONTH: tuple[type, ...] = (Account, Category)
_TABLE = cast(Table, LedgerVersion.__table__)
_STAMPS = cast(Table, LedgerMonthStamp.__table__)

# What a write changed, per household: the months (first days) of the transactions it touched,
# or None when it may have changed every month.
Changes = dict[int, set[date] | None]


def _new_token() -> int:
    return secrets.randbits(62)


def bump_ledger_version(session: DbSession, household_id: int) -> None:
    """Give `household_id` a new ledger version (inside the caller's transaction)."""
    bump_ledger_versions(session, [household_id])


def bump_ledger_versions(session: DbSession, household_ids: Iterable[int],
                         months: Mapping[int, set[date] | None] | None = None) -> None:
    """New versions for `household_ids`. `months`: the months each one's write touched (a
    household missing from it, or mapped to None, may have changed in every month)."""
    ids = sorted({int(u) for u in household_ids if u is not None})
    if not ids:
        return
    months = months or {}
    session.info.setdefault(_CHANGED, set()).update(ids)
    connection = session.connection()
    dialect = connection.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for uid in ids:  # sorted, so two writers never lock the rows in opposite orders
        token = _new_token()
        touched = months.get(uid)
        values: dict[str, Any] = {"version": token, "updated_at": now}
        if touched is None:
            values["summary_base"] = token
        stmt = insert(_TABLE).values(household_id=uid, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["household_id"], set_=values)
        connection.execute(stmt)
        if touched:
            stamps = insert(_STAMPS).values([
                {"household_id": uid, "month": month, "stamp": token} for month in sorted(touched)
            ])
            connection.execute(stamps.on_conflict_do_update(
                index_elements=["household_id", "month"], set_={"stamp": stamps.excluded.stamp}))


def month_of(day: date) -> date:
    return day.replace(day=1)


def summary_stamps(session: DbSession, household_id: int) -> tuple[int, dict[date, int]]:
    """The household's summary base and the stamp of every month a write has touched (a month
    never written to has none: its stamp is 0)."""
    base = session.execute(select(LedgerVersion.summary_base)
                           .where(LedgerVersion.household_id == household_id)).scalar()
    rows = session.execute(select(LedgerMonthStamp.month, LedgerMonthStamp.stamp)
                           .where(LedgerMonthStamp.household_id == household_id))
    return int(base or 0), {_as_date(month): int(stamp) for month, stamp in rows}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


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


def _touch(changes: Changes, household_id: int, months: set[date] | None) -> None:
    if household_id in changes and changes[household_id] is None:
        return
    if months is None:
        changes[household_id] = None
    else:
        changes[household_id] = (changes.get(household_id) or set()) | months


def _transaction_months(obj: Transaction, is_new: bool) -> set[date] | None:
    """The months a flushed transaction was and is in; None when its old date is unknown."""
    state = inspect(obj)
    current = state.dict.get("date")
    history = state.attrs.date.history
    if current is None or (not is_new and history.added and not history.deleted):
        return None  # never loaded, or changed without its old value: cannot say
    return {month_of(d) for d in (current, *history.deleted) if isinstance(d, date)}


def _changes_of_flush(session: DbSession) -> Changes:
    changes: Changes = {}
    split_txn_ids: set[int] = set()
    # session.dirty builds a new set on every access: take it once, or a flush of n rows costs n².
    dirty, new = session.dirty, session.new
    for obj in (*new, *dirty, *session.deleted):
        if isinstance(obj, TRACKED_WITH_HOUSEHOLD):
            household_id = getattr(obj, "household_id", None)
            if household_id is None or changes.get(int(household_id), ()) is None:
                continue
            if obj in dirty and not session.is_modified(obj, include_collections=False):
                continue
            if isinstance(obj, Transaction):
                months = _transaction_months(obj, obj in new)
            else:
                months = None if isinstance(obj, EVERY_MONTH) else set()
            _touch(changes, int(household_id), months)
        elif isinstance(obj, SplitLine):
            if obj.transaction_id is not None:
                split_txn_ids.add(obj.transaction_id)
            elif obj.transaction is not None and obj.transaction.household_id is not None:
                day = obj.transaction.date
                _touch(changes, obj.transaction.household_id,
                       {month_of(day)} if isinstance(day, date) else None)
    if split_txn_ids:
        _touch_transactions(session, changes, split_txn_ids)
    return changes


def _touch_transactions(session: DbSession, changes: Changes, txn_ids: set[int]) -> None:
    """The months of the transactions `txn_ids` (their split lines changed)."""
    txns = Transaction.__table__
    rows = session.connection().execute(
        select(txns.c.household_id, txns.c.date).where(txns.c.id.in_(txn_ids)))
    for household_id, day in rows:
        _touch(changes, int(household_id), {month_of(_as_date(day))})


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: DbSession, _context: Any) -> None:
    changes = _changes_of_flush(session)
    if changes:
        bump_ledger_versions(session, changes, changes)


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


def _changes_of_bulk(state: ORMExecuteState) -> Changes | None:
    """What a bulk ORM statement will change, or None when it touches no tracked table.
    Inserted transactions and split lines stamp their months; an update or delete of
    transactions, split lines, accounts or categories counts as every month."""
    mapper = state.bind_mapper
    entity = mapper.class_ if mapper is not None else None
    if entity not in (*TRACKED_WITH_HOUSEHOLD, SplitLine):
        return None
    statement: Any = state.statement
    session = state.session
    changes: Changes = {}
    if state.is_insert:
        values = _insert_rows(state)
        if entity is SplitLine:
            txn_ids = {int(r["transaction_id"]) for r in values if r.get("transaction_id")}
            if txn_ids:
                _touch_transactions(session, changes, txn_ids)
            return changes
        for row in values:
            if row.get("household_id") is None:
                continue
            day = row.get("date")
            months = ({month_of(day)} if entity is Transaction and isinstance(day, date)
                      else None if entity in (Transaction, *EVERY_MONTH) else set())
            _touch(changes, int(row["household_id"]), months)
        return changes
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
    every = entity in (Transaction, SplitLine, *EVERY_MONTH)
    for (household_id,) in session.connection().execute(query):
        _touch(changes, int(household_id), None if every else set())
    return changes


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    changes = _changes_of_bulk(state)
    if changes:
        bump_ledger_versions(state.session, changes, changes)
