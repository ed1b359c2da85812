"""The web process's ledger cache (Redis when configured, else in-process) and the user's today."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_login import current_user

from finance_app.jobs import redis_connection
from finance_app.services.ledger.cache import LedgerCache, MemoryStore, RedisStore
from finance_app.services.ledger.periods import user_today


def ledger_cache() -> LedgerCache:
    extensions = current_app.extensions
    if "ledger_cache" not in extensions:
        connection = redis_connection()
        store = RedisStore(connection) if connection is not None else MemoryStore()
        extensions["ledger_cache"] = LedgerCache(store)
    return extensions["ledger_cache"]


def today() -> date:
    return user_today(getattr(current_user, "timezone", None))
