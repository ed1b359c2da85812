"""Migration 0300 (debts): upgrade from 0200 creates the table with its keys, downgrade drops
it, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from finance_app.extensions import db
from tests.conftest import create_pg_database, drop_pg_database


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0300_creates_and_drops_the_debts_table(tmp_path, make_app, backend):
    name = f"finance_debts_{uuid.uuid4().hex[:8]}"
    url = (f"sqlite:///{tmp_path / 'debts.sqlite3'}" if backend == "sqlite"
           else create_pg_database(name))
    try:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0200")
            assert "debts" not in sa.inspect(db.engine).get_table_names()
            upgrade(revision="0300")
            inspector = sa.inspect(db.engine)
            assert "debts" in inspector.get_table_names()
            columns = {c["name"] for c in inspector.get_columns("debts")}
            assert {"household_id", "name", "kind", "balance", "apr", "minimum_payment",
                    "account_id", "custom_rank", "currency"} <= columns
            fks = {fk["referred_table"]: fk["options"].get("ondelete")
                   for fk in inspector.get_foreign_keys("debts")}
            assert fks == {"households": "CASCADE", "accounts": "SET NULL"}
            downgrade(revision="0200")
            assert "debts" not in sa.inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        if backend == "postgresql":
            drop_pg_database(name)
