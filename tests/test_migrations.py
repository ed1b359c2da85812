"""Schema only through migrations: they run on empty SQLite and PostgreSQL databases, and the
models agree with them (what `flask db check` checks)."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from finance_app.extensions import db
from tests.conftest import create_pg_database, drop_pg_database


def migrated_app(url, make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade(revision="heads")
    return app


def assert_models_match_migrations(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_migrations_on_empty_sqlite_match_the_models(tmp_path, make_app):
    app = migrated_app(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", make_app)
    assert_models_match_migrations(app)
    with app.app_context():
        downgrade(revision="base")
        assert db.inspect(db.engine).get_table_names() == ["alembic_version"]


def test_migrations_on_empty_postgresql_match_the_models(make_app):
    name = f"finance_migrate_{uuid.uuid4().hex[:8]}"
    url = create_pg_database(name)
    try:
        app = migrated_app(url, make_app)
        assert_models_match_migrations(app)
        with app.app_context():
            downgrade(revision="base")
            db.engine.dispose()
    finally:
        drop_pg_database(name)


@pytest.mark.parametrize("url", ["postgres://u:p@db.example.com:5432/app",
                                 "postgresql://u:p@db.example.com/app"])
def test_paas_database_urls_use_psycopg3(url):
    from finance_app.config import normalize_database_url

    assert normalize_database_url(url).startswith("postgresql+psycopg://u:p@db.example.com")


def _seed_before_households(connection) -> None:
    """Rows as schema 0110 held them: two users, each owning an account, a category, a
    transaction, a budget and a rule through user_id."""
    import sqlalchemy as sa

    now = "2025-01-02 03:04:05"
    for uid, email in ((1, "ann@example.com"), (2, "ben@example.com")):
        connection.execute(sa.text(
            "INSERT INTO users (id, email, password_hash, name, base_currency, timezone, locale,"
            " notify_budget_email, notify_weekly_email, notify_security_email, created_at,"
            " updated_at) VALUES (:id, :email, 'x', :name, 'USD', 'UTC', 'en_US', true, true,"
            " true, :now, :now)"), {"id": uid, "email": email, "name": email[:3].title(),
                                    "now": now})
        connection.execute(sa.text(
            "INSERT INTO accounts (id, user_id, name, type, institution, currency,"
            " opening_balance, color, icon, group_name, is_archived, include_in_net_worth,"
            " source, created_at, updated_at) VALUES (:id, :uid, 'Checking', 'checking', '',"
            " 'USD', 0, '#000000', 'bank', '', false, true, 'manual', :now, :now)"),
            {"id": 10 + uid, "uid": uid, "now": now})
        connection.execute(sa.text(
            "INSERT INTO categories (id, user_id, name, kind, color, icon, position, created_at)"
            " VALUES (:id, :uid, 'Food', 'expense', '#000000', 'tag', 0, :now)"),
            {"id": 20 + uid, "uid": uid, "now": now})
        connection.execute(sa.text(
            "INSERT INTO transactions (id, user_id, account_id, date, amount, raw_description,"
            " merchant, notes, category_id, is_pending, is_excluded, source, provider_category,"
            " locked_fields, created_at, updated_at) VALUES (:id, :uid, :acc, '2025-01-01',"
            " :amount, 'SHOP', 'Shop', '', :cat, false, false, 'manual', '', '[]', :now, :now)"),
            {"id": 30 + uid, "uid": uid, "acc": 10 + uid, "cat": 20 + uid,
             "amount": -1234500 if connection.dialect.name == "sqlite" else -123.45, "now": now})
        connection.execute(sa.text(
            "INSERT INTO budgets (id, user_id, category_id, period, amount, rollover,"
            " rollover_overspend, start_date, created_at, updated_at) VALUES (:id, :uid, :cat,"
            " 'monthly', :amount, false, false, '2025-01-01', :now, :now)"),
            {"id": 40 + uid, "uid": uid, "cat": 20 + uid,
             "amount": 5000000 if connection.dialect.name == "sqlite" else 500, "now": now})
        connection.execute(sa.text(
            "INSERT INTO rules (id, user_id, name, position, match, conditions, actions,"
            " stop_processing, is_active, created_at, updated_at) VALUES (:id, :uid, 'R', 0,"
            " 'all', '[]', '{}', false, true, :now, :now)"), {"id": 50 + uid, "uid": uid,
                                                               "now": now})


def _check_after_households(connection) -> None:
    import sqlalchemy as sa

    rows = connection.execute(sa.text(
        "SELECT h.id, h.name, m.user_id, m.role, u.current_household_id FROM households h"
        " JOIN memberships m ON m.household_id = h.id JOIN users u ON u.id = m.user_id"
        " ORDER BY h.id")).all()
    assert [tuple(r) for r in rows] == [(1, "Ann's household", 1, "owner", 1),
                                        (2, "Ben's household", 2, "owner", 2)]
    for table, ids in (("accounts", (11, 12)), ("categories", (21, 22)),
                       ("transactions", (31, 32)), ("budgets", (41, 42)), ("rules", (51, 52))):
        found = connection.execute(sa.text(
            f"SELECT id, household_id FROM {table} ORDER BY id")).all()
        assert [tuple(r) for r in found] == [(ids[0], 1), (ids[1], 2)], table
    accounts = connection.execute(sa.text(
        "SELECT id, owner_id, is_private FROM accounts ORDER BY id")).all()
    assert [tuple(r) for r in accounts] == [(11, 1, False), (12, 2, False)]
    created = connection.execute(sa.text(
        "SELECT created_by_id FROM transactions ORDER BY id")).scalars().all()
    assert created == [1, 2]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_households_migration_keeps_every_row_with_its_owner(tmp_path, make_app, backend):
    """0110 -> 0200 on a database holding data: each user owns a household with their rows."""
    name = f"finance_hh_{uuid.uuid4().hex[:8]}"
    url = (f"sqlite:///{tmp_path / 'old.sqlite3'}" if backend == "sqlite"
           else create_pg_database(name))
    try:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0110")
            with db.engine.begin() as connection:
                _seed_before_households(connection)
            upgrade(revision="heads")
            with db.engine.connect() as connection:
                _check_after_households(connection)
            from finance_app.models import Transaction
            from finance_app.services.scope import load_scope, scoped

            scope = load_scope(db.session, 1, 1)
            txns = db.session.scalars(scoped(Transaction, scope)).all()
            assert [(t.id, str(t.amount)) for t in txns] == [(31, "-123.4500")]
            db.session.remove()
            downgrade(revision="0110")
            with db.engine.connect() as connection:
                import sqlalchemy as sa

                back = connection.execute(sa.text(
                    "SELECT id, user_id FROM transactions ORDER BY id")).all()
                assert [tuple(r) for r in back] == [(31, 1), (32, 2)]
            db.engine.dispose()
    finally:
        if backend == "postgresql":
            drop_pg_database(name)


def test_the_migrations_have_one_head_so_plain_db_upgrade_works():
    """`flask db upgrade` (the Procfile's release step and .ci/serve) refuses several heads."""
    from pathlib import Path

    from alembic.config import Config
    from alembic.script import ScriptDirectory

    directory = Path(__file__).resolve().parents[1] / "migrations"
    config = Config(str(directory / "alembic.ini"))
    config.set_main_option("script_location", str(directory))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
