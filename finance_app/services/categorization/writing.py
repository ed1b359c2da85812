"""The engine's bulk writes: decisions as one UPDATE per chunk, review suggestions, ORM sync.

Below the ORM on purpose: pushing 50,000 changed objects through the unit of work (and its
attribute events and flush hooks) costs several times more than deciding their categories.
Callers bump the ledger version themselves (`bump_ledger_version`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from finance_app.db import DbSession, utcnow
from finance_app.models.categorization import CategorySuggestion
from finance_app.models.ledger import Category, Transaction
from finance_app.services.scope import Scope, scope_filter

CHUNK = 5000
SQLITE_CACHE_KB = 65536
# PostgreSQL: rows per UPDATE ... FROM unnest(arrays); one parameter per column, any size.
PG_CHUNK = 20000
# The columns the engine writes, with their PostgreSQL array element types.
PG_TYPES = {
    "id": "integer", "merchant": "varchar", "category_id": "integer",
    "category_source": "varchar", "category_confidence": "double precision",
}  # fmt: skip


class RowWriter:
    """Writes the engine's decisions as they come: one bulk UPDATE per set of changed columns.

    On PostgreSQL the statements go out in pipeline mode, so the server writes one chunk while
    the engine decides the next (the UPDATE of 50,000 rows with their indexes costs the server
    about as much as deciding them costs Python). Inside the `with` block nothing else may use
    the session's connection; the block's end waits for every statement and raises its errors.
    """

    def __init__(self, session: DbSession, *, large: bool = True) -> None:
        self.large = large  # small batches (one edited row) skip the pipeline and the pragma
        self.connection = session.connection()
        self.postgresql = self.connection.dialect.name == "postgresql"
        self.now = utcnow()
        self.written = 0
        self._pipeline: Any = None
        self._raw: Any = None
        self._cache_size: Any = None

    def __enter__(self) -> RowWriter:
        if self.postgresql:
            self._raw = self.connection.connection.driver_connection
            if self.large:
                self._pipeline = self._raw.pipeline()
                self._pipeline.__enter__()
        elif self.large and self.connection.dialect.name == "sqlite":
            # SQLite's default 2 MB page cache thrashes on the table's dozen indexes while
            # 50,000 rows change; a larger one for this write only is a third faster.
            self._cache_size = self.connection.exec_driver_sql("PRAGMA cache_size").scalar()
            if self._cache_size is not None and -SQLITE_CACHE_KB < self._cache_size < 0:
                self.connection.exec_driver_sql(f"PRAGMA cache_size = {-SQLITE_CACHE_KB}")
            else:
                self._cache_size = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pipeline is not None:
            self._pipeline.__exit__(*exc)
            self._pipeline = None
        if getattr(self, "_cache_size", None) is not None:
            self.connection.exec_driver_sql(f"PRAGMA cache_size = {int(self._cache_size)}")
            self._cache_size = None

    def write(self, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        """Set `columns` (and updated_at) of transactions given as (id, *values) tuples."""
        if not rows:
            return
        unknown = set(columns) - set(PG_TYPES)
        if unknown:
            raise ValueError(f"the engine does not write {sorted(unknown)}")
        self.written += len(rows)
        if self.postgresql:
            names = ("id", *columns)
            sql = (
                "UPDATE transactions AS t SET "
                + ", ".join(f"{c} = v.{c}" for c in columns)
                + ", updated_at = %s FROM unnest("
                + ", ".join(f"%s::{PG_TYPES[c]}[]" for c in names)
                + f") AS v({', '.join(names)}) WHERE t.id = v.id"
            )
            for start in range(0, len(rows), PG_CHUNK):
                chunk = rows[start : start + PG_CHUNK]
                self._raw.execute(sql, [self.now, *(list(col) for col in zip(*chunk, strict=True))])
            return
        # SQLite: the driver's executemany with positional values. These columns are plain
        # ints, strings and floats, so SQLAlchemy's per-parameter processing (a third of the
        # write's time at 50,000 rows) has nothing to do but the timestamp, done once here.
        table = cast(Table, Transaction.__table__)
        to_db = table.c.updated_at.type.bind_processor(self.connection.dialect)
        now = to_db(self.now) if to_db else self.now
        sql = (f"UPDATE {table.name} SET {', '.join(f'{c} = ?' for c in columns)}, "
               "updated_at = ? WHERE id = ?")
        for start in range(0, len(rows), CHUNK):
            self.connection.exec_driver_sql(
                sql, [(*values, now, id_) for id_, *values in rows[start : start + CHUNK]])


def replace_suggestions(session: DbSession, scope: Scope, ids: Sequence[int],
                        rows: list[dict]) -> None:
    """Drop the review suggestions of `ids` and store `rows` (transaction_id, scope,
    suggestions) instead."""
    stale = list(ids)
    if len(stale) > CHUNK:
        # A big batch: ask which of them wait in review (usually none of a fresh import).
        column = CategorySuggestion.__table__.c
        queued = set(session.connection().execute(
            select(column.transaction_id).where(scope_filter(column, scope))).scalars())
        stale = [i for i in stale if i in queued]
    for start in range(0, len(stale), CHUNK):
        session.execute(delete(CategorySuggestion).where(
            CategorySuggestion.transaction_id.in_(stale[start : start + CHUNK])))
    if rows:
        now = utcnow()
        for row in rows:
            row["created_at"] = now
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(cast(Table, CategorySuggestion.__table__)),
                            rows[start : start + CHUNK])


def sync_objects(session: DbSession, changed: Sequence[tuple[Any, dict[str, Any]]]) -> None:
    """Bring Transaction objects in the session up to date with what was written, as committed
    values (not dirty). `changed` holds (row, {column: value}); a row's `txn` is its object, or
    it is looked up in the identity map."""
    identity_map = session.identity_map
    look_up = len(identity_map) > 0
    for row, values in changed:
        txn = row.txn
        if txn is None:
            if not look_up:
                continue
            txn = identity_map.get((Transaction, (row.id,), None))
            if txn is None:
                continue
        state_dict = txn.__dict__
        pending = instance_state(txn).committed_state
        for name, value in values.items():
            if name in state_dict and name not in pending:
                # not modified and loaded: the committed value is the one in the dict
                state_dict[name] = value
            else:
                set_committed_value(txn, name, value)
        if "category_id" in values and "category" in state_dict:
            category_id = values["category_id"]
            set_committed_value(txn, "category", session.get(Category, category_id)
                                if category_id else None)


def store_review_and_tags(session: DbSession, scope: Scope, ids: Sequence[int],
                          decisions: Sequence[Any]) -> None:
    """After a bulk insert of rows decided by decide_new(): their review-queue suggestions and
    the tags their rules add. `ids[i]` is the id of the row of `decisions[i]`."""
    from finance_app.models.ledger import transaction_tags
    from finance_app.services.transactions.tagging import tags_by_name

    if len(ids) != len(decisions):
        raise ValueError("every decided row needs its id")
    review = [{"transaction_id": i, "household_id": scope.household_id,
        "suggestions": d.suggestions}
              for i, d in zip(ids, decisions, strict=True) if d.suggestions is not None]
    replace_suggestions(session, scope, [], review)
    names = {name for d in decisions for name in d.tags}
    if names:
        by_name = {tag.name.casefold(): tag.id for tag in tags_by_name(session, scope, names)}
        links = {(i, by_name[name.casefold()]) for i, d in zip(ids, decisions, strict=True)
                 for name in d.tags if name.casefold() in by_name}
        session.execute(insert(transaction_tags),
                        [{"transaction_id": i, "tag_id": t} for i, t in sorted(links)])
