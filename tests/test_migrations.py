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
