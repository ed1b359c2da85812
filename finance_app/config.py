"""Settings from the environment; with nothing set: SQLite in the instance folder, inline jobs."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from finance_app.queues import ALL_QUEUES

DEFAULT_BASE_URL = "http://localhost:5000"


class ConfigError(RuntimeError):
    """The application is misconfigured."""


def normalize_database_url(url: str) -> str:
    """PaaS hands out `postgres://` URLs; SQLAlchemy wants an explicit psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _persisted_secret(instance_path: Path, name: str, make: Any) -> str:
    """A development secret generated once and kept in the instance folder across restarts."""
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def _bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config dict from the environment, then apply `overrides` (tests)."""
    env = os.environ
    overrides = overrides or {}
    instance = Path(instance_path)
    is_production = (
        overrides.get("ENV", env.get("APP_ENV", env.get("FLASK_ENV", "development")))
        == "production"
    )

    secret_key = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret_key:
        if is_production:
            raise ConfigError("SECRET_KEY must be set in production")
        secret_key = _persisted_secret(instance, "secret_key", lambda: secrets.token_hex(32))

    token_key = overrides.get("TOKEN_ENCRYPTION_KEY") or env.get("TOKEN_ENCRYPTION_KEY")
    if not token_key:
        if is_production:
            raise ConfigError("TOKEN_ENCRYPTION_KEY must be set in production")
        token_key = _persisted_secret(
            instance, "token_encryption_key", lambda: Fernet.generate_key().decode()
        )

    database_url = normalize_database_url(
        overrides.get("SQLALCHEMY_DATABASE_URI")
        or env.get("DATABASE_URL")
        or f"sqlite:///{instance / 'finance.sqlite3'}"
    )
    redis_url = overrides.get("REDIS_URL", env.get("REDIS_URL") or None)

    config: dict[str, Any] = {
        "ENV": "production" if is_production else "development",
        "SECRET_KEY": secret_key,
        "TOKEN_ENCRYPTION_KEY": token_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # The queues a worker started without names serves, first first (finance_app.queues).
        "RQ_QUEUES": [q.strip() for q in env.get("RQ_QUEUES", ",".join(ALL_QUEUES)).split(",")
                      if q.strip()],
        # How often a worker refreshes a running job's heartbeat (RQ's job_monitoring_interval);
        # a job silent for three of these counts as dead (finance_app.jobs.find_dead_reason).
        "JOB_HEARTBEAT_SECONDS": int(env.get("JOB_HEARTBEAT_SECONDS", "10")),
        # Base of the links in emails. Unset in development: the host of the request that asked
        # for the mail (so a server on another port links to itself). Production never trusts a
        # request's Host header for links: there it is APP_BASE_URL, or the old default.
        "APP_BASE_URL": env.get("APP_BASE_URL") or (DEFAULT_BASE_URL if is_production else None),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "MODEL_DIR": env.get("MODEL_DIR", str(instance / "models")),
        "ATTACHMENT_DIR": env.get("ATTACHMENT_DIR", str(instance / "attachments")),
        "ATTACHMENT_MAX_MB": int(env.get("ATTACHMENT_MAX_MB", "10")),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", str(instance / "uploads")),
        # Generated report files (PDF, XLSX), one folder per household, kept this many days.
        "REPORT_DIR": env.get("REPORT_DIR", str(instance / "reports")),
        "REPORT_RETENTION_DAYS": int(env.get("REPORT_RETENTION_DAYS", "30")),
        # Full data exports (ZIP) wait here for their download, then are deleted.
        "EXPORT_DIR": env.get("EXPORT_DIR", str(instance / "exports")),
        "EXPORT_RETENTION_HOURS": int(env.get("EXPORT_RETENTION_HOURS", "24")),
        # Mail
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Ledgerly <no-reply@localhost>"),
        # With no mail server configured in development, mails are printed to the log instead.
        "MAIL_SUPPRESS_SEND": _bool("MAIL_SUPPRESS_SEND", default=not env.get("MAIL_SERVER")),
        # Plaid
        "PLAID_CLIENT_ID": env.get("PLAID_CLIENT_ID"),
        "PLAID_SECRET": env.get("PLAID_SECRET"),
        "PLAID_ENV": env.get("PLAID_ENV", "sandbox"),
        # SMS alerts through Twilio; unset: no SMS. TWILIO_API_BASE points the client elsewhere
        # (the tests' fake Twilio server).
        "TWILIO_ACCOUNT_SID": env.get("TWILIO_ACCOUNT_SID"),
        "TWILIO_AUTH_TOKEN": env.get("TWILIO_AUTH_TOKEN"),
        "TWILIO_FROM_NUMBER": env.get("TWILIO_FROM_NUMBER"),
        "TWILIO_API_BASE": env.get("TWILIO_API_BASE"),
        "PLAID_HOST": env.get("PLAID_HOST"),
        # Where Plaid sends webhooks (https://<host>/webhooks/plaid); unset: no webhooks.
        "PLAID_WEBHOOK_URL": env.get("PLAID_WEBHOOK_URL") or None,
        # Webhooks must carry a valid Plaid-Verification JWT; unset: required except in
        # development and tests. Set to 0 only behind something else that verifies them.
        "PLAID_VERIFY_WEBHOOKS": (_bool("PLAID_VERIFY_WEBHOOKS")
                                  if env.get("PLAID_VERIFY_WEBHOOKS") is not None
                                  else (True if is_production else None)),
        # First wait before retrying a rate-limited or failed Plaid request (doubles each time).
        "PLAID_RETRY_BASE_SECONDS": float(env.get("PLAID_RETRY_BASE_SECONDS", "2")),
        # Security
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "SESSION_COOKIE_NAME": "ledgerly_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "PREFERRED_URL_SCHEME": "https" if is_production else "http",
        "HSTS_ENABLED": is_production,
        "EMAIL_TOKEN_MAX_AGE": int(env.get("EMAIL_TOKEN_MAX_AGE", str(48 * 3600))),
        "RESET_TOKEN_MAX_AGE": int(env.get("RESET_TOKEN_MAX_AGE", "3600")),
        # Rate limits (Flask-Limiter); Redis storage when Redis is configured. While that Redis
        # is unreachable, the limits are counted in this process's memory (Flask-Limiter logs the
        # switch and tries Redis again, with backoff) rather than failing every limited request.
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", default=True),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LIMIT_LOGIN": env.get("LIMIT_LOGIN", "10 per minute;50 per hour"),
        "LIMIT_TWO_FACTOR": env.get("LIMIT_TWO_FACTOR", "10 per minute"),
        "LIMIT_RESET": env.get("LIMIT_RESET", "5 per minute;20 per hour"),
        "LIMIT_SIGNUP": env.get("LIMIT_SIGNUP", "5 per minute;20 per hour"),
        # Categorization
        "CATEGORIZER_THRESHOLD": env.get("CATEGORIZER_THRESHOLD", "0.8"),
        # A user's model is retrained at most once per this many minutes (plus nightly).
        "CATEGORIZER_RETRAIN_MINUTES": int(env.get("CATEGORIZER_RETRAIN_MINUTES", "10")),
    }
    config.update(overrides)
    if config.get("RATELIMIT_STORAGE_URI") is None:
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] or "memory://"
    return config
