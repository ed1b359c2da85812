"""Shared fixtures: a real PostgreSQL database (migrated once per run), Redis, an in-process SMTP
server, the app, a test client that speaks CSRF, and signing in (factories: tests/factories.py)."""

from __future__ import annotations

import os
import re
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient

from finance_app import create_app
from finance_app.extensions import db
from tests.factories import PASSWORD, make_user

PG_ADMIN_URL = os.environ.get(
    "TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TOKEN_KEY = Fernet.generate_key().decode()


# ---------------------------------------------------------------- databases


def create_pg_database(name: str) -> str:
    """Create an empty PostgreSQL database and return its URL (dropped by drop_pg_database)."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated PostgreSQL database per test run (per worker process)."""
    name = f"finance_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = create_pg_database(name)
    app = create_app(_base_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
        # Household ids far from user ids, so code that passes one for the other fails here.
        with db.engine.begin() as conn:
            conn.execute(sa.text("ALTER SEQUENCE households_id_seq RESTART WITH 50000"))
        db.engine.dispose()
    yield url
    drop_pg_database(name)


# ---------------------------------------------------------------- mail


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """Messages received by the in-process SMTP server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def last_link(self, address: str, path_fragment: str) -> str:
        """The first link containing `path_fragment` in the newest mail to `address`."""
        messages = self.to(address)
        assert messages, f"no mail to {address}"
        body = messages[-1].get_body(preferencelist=("plain",))
        assert body is not None
        links = re.findall(r"https?://\S+", body.get_content())
        matching = [link for link in links if path_fragment in link]
        assert matching, f"no link with {path_fragment!r} in mail to {address}"
        return matching[0]


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Mailbox]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture()
def mailbox(smtp_server: tuple[Controller, Mailbox]) -> Mailbox:
    smtp_server[1].clear()
    return smtp_server[1]


# ---------------------------------------------------------------- app


def _base_config(url: str, instance: Any, **extra: Any) -> dict[str, Any]:
    config = {
        "INSTANCE_PATH": str(instance),
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "TOKEN_ENCRYPTION_KEY": TOKEN_KEY,
        "SQLALCHEMY_DATABASE_URI": url,
        "REDIS_URL": None,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SUPPRESS_SEND": False,
        "MAIL_DEFAULT_SENDER": "Ledgerly <no-reply@example.test>",
        "APP_BASE_URL": "http://localhost",
        "MODEL_DIR": str(instance / "models"),
        "ATTACHMENT_DIR": str(instance / "attachments"),
        "UPLOAD_DIR": str(instance / "uploads"),
    }
    config.update(extra)
    return config


def close_app_resources(app: Flask) -> None:
    """Close what an app opened (database pool, Redis clients of jobs and rate limits), so no
    socket is left for the garbage collector to complain about in a later test."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    for client in app.extensions.get("finance_redis", {}).values():
        client.close()
        client.connection_pool.disconnect()
    limiter = app.extensions.get("limiter")
    for ext in limiter if isinstance(limiter, set) else [limiter]:
        storage = getattr(getattr(ext, "_storage", None), "storage", None)
        if storage is not None and hasattr(storage, "connection_pool"):
            storage.connection_pool.disconnect()


def truncate_all(app: Flask) -> None:
    """Empty every table. DELETE, not TRUNCATE: on near-empty tables it is many times faster.
    Ids keep counting up across tests, so tests never assume an id."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            for table in tables:
                conn.execute(sa.text(f'DELETE FROM "{table}"'))


@pytest.fixture()
def app_config(
    database_url: str, tmp_path: Any, smtp_server: tuple[Controller, Mailbox]
) -> dict[str, Any]:
    """Overridable per test module: return a changed copy to configure the app differently."""
    controller = smtp_server[0]
    return _base_config(
        database_url, tmp_path / "instance",
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
    )


@pytest.fixture()
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    application.test_client_class = CsrfClient
    yield application
    truncate_all(application)
    close_app_resources(application)


@pytest.fixture()
def make_app(app_config: dict[str, Any]) -> Iterator[Any]:
    """Build extra apps with changed settings; their connections are closed afterwards."""
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = create_app({**app_config, **overrides})
        application.test_client_class = CsrfClient
        made.append(application)
        return application

    yield build
    for application in made:
        close_app_resources(application)


@pytest.fixture()
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for calling services directly with db.session."""
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture()
def redis_url() -> Iterator[str]:
    from redis import Redis

    connection = Redis.from_url(TEST_REDIS_URL)
    connection.flushdb()
    yield TEST_REDIS_URL
    connection.flushdb()
    connection.close()


@pytest.fixture(scope="session")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A MODEL_DIR holding a small base categorizer (trained once per run, in seconds)."""
    import random

    from finance_app.ml.storage import save_base_model
    from finance_app.ml.training import SHIPPED_TRAINING_CSV, read_labelled_csv, train_base_model

    rng = random.Random(0)
    by_category: dict[str, list[Any]] = {}
    for row in read_labelled_csv(SHIPPED_TRAINING_CSV):
        by_category.setdefault(row.category, []).append(row)
    sample = [row for rows in by_category.values() for row in rng.sample(rows, 150)]
    directory = tmp_path_factory.mktemp("models")
    save_base_model(train_base_model(sample, n_features=2**16), directory)
    return str(directory)


# ---------------------------------------------------------------- clients


_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class CsrfClient(FlaskClient):
    """A test client whose `post_form` sends the CSRF token the way a browser form would."""

    def csrf_token(self, page: str = "/auth/login") -> str:
        html = self.get(page, follow_redirects=True).get_data(as_text=True)
        match = _CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def post_form(self, url: str, data: dict[str, Any] | None = None, *, page: str | None = None,
                  **kwargs: Any) -> Any:
        payload = dict(data or {})
        payload["csrf_token"] = self.csrf_token(page or "/auth/login")
        return self.post(url, data=payload, **kwargs)


@pytest.fixture()
def client(app: Flask) -> CsrfClient:
    return app.test_client()  # type: ignore[return-value]


# ---------------------------------------------------------------- signing in


class Auth:
    """Sign in and out through the real forms."""

    def __init__(self, app: Flask, client: CsrfClient) -> None:
        self.app, self.client = app, client

    def create(self, email: str = "alice@example.com", **kwargs: Any) -> int:
        with self.app.app_context():
            return make_user(email, **kwargs).id

    def login(self, email: str = "alice@example.com", password: str = PASSWORD,
              remember: bool = False) -> Any:
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self.client.post_form("/auth/login", data)

    def logout(self) -> Any:
        return self.client.post_form("/auth/logout", page="/settings/profile")


@pytest.fixture()
def auth(app: Flask, client: CsrfClient) -> Auth:
    return Auth(app, client)


@pytest.fixture()
def user_id(auth: Auth) -> int:
    """A signed-in, verified user."""
    uid = auth.create()
    response = auth.login()
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return uid
