"""Configuration from the environment, with safe development defaults."""

from __future__ import annotations

import pytest

from finance_app.config import ConfigError, load_config


def test_development_generates_secrets_once_and_keeps_them(tmp_path, monkeypatch):
    for name in ("SECRET_KEY", "TOKEN_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL", "APP_ENV"):
        monkeypatch.delenv(name, raising=False)
    first = load_config(str(tmp_path))
    second = load_config(str(tmp_path))
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) == 64
    assert first["TOKEN_ENCRYPTION_KEY"] == second["TOKEN_ENCRYPTION_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'finance.sqlite3'}"
    assert first["REDIS_URL"] is None and first["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_refuses_to_start_without_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.delenv("TOKEN_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ConfigError, match="TOKEN_ENCRYPTION_KEY"):
        load_config(str(tmp_path))


def test_environment_settings_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://r:6379/0")
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.com")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("PLAID_CLIENT_ID", "cid")
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"
    assert (config["MAIL_SERVER"], config["MAIL_PORT"]) == ("smtp.example.com", 587)
    assert config["MAIL_SUPPRESS_SEND"] is False
    assert config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
    assert config["PLAID_CLIENT_ID"] == "cid"
