"""Ledgerly, a personal finance web app: the application factory (wiring only)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=(config or {}).get("INSTANCE_PATH")
        or os.environ.get("INSTANCE_PATH")
        or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    from finance_app.config import load_config

    app.config.update(load_config(app.instance_path, config))
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    _init_extensions(app)
    _cache_compiled_templates(app)

    from finance_app.web import register_web

    register_web(app)

    from finance_app.cli import register_cli

    register_cli(app)
    return app


def _cache_compiled_templates(app: Flask) -> None:
    """Keep Jinja's compiled templates in the instance folder across restarts.

    Compiling the dashboard's templates is most of the first page after a start; with the cache
    a restarted process only reads them. Entries are keyed by the source's checksum, so an
    edited template is compiled afresh.
    """
    from jinja2 import FileSystemBytecodeCache

    directory = Path(app.instance_path) / "jinja-cache"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only instance folder: compile in memory as before
        return
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(directory))


def _init_extensions(app: Flask) -> None:
    from finance_app import models  # noqa: F401  (every table on the metadata)
    from finance_app.extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(token: str) -> Any:
        from finance_app.services.identity.sessions import load_user_for_token

        return load_user_for_token(db.session, token)

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def _tune_sqlite(app: Flask) -> None:
    from sqlalchemy import event

    from finance_app.extensions import db

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets the web process read while a job writes; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()


def freeze_startup_heap() -> None:
    """Move everything created so far (modules, models, routes, templates: some 290,000
    objects) out of the garbage collector's sight, for a long-lived process (the web server).

    Those objects live as long as the process, yet every full collection walked them all:
    about 150 ms, landing on a random request every few dozen. gc.freeze() itself is
    instant; objects created later are collected as usual.
    """
    import gc

    gc.freeze()
