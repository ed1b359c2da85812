"""A per-viewer cache of expensive figures (household and the accounts they see), keyed by the
ledger version (never invalidated by time).

Redis when configured (shared by every web process), otherwise an in-process LRU. Values are
plain data (Decimals, dates, dataclasses); treat what you get back as read-only.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
P = TypeVar("P")
_MISSING = object()
# Redis entries expire only to reclaim memory from versions nobody asks for any more.
REDIS_TTL_SECONDS = 7 * 24 * 3600


class CacheStore(Protocol):
    def get(self, key: str) -> Any: ...
    def set(self, key: str, value: Any) -> None: ...
    def get_many(self, keys: list[str]) -> list[Any]: ...
    def set_many(self, items: dict[str, Any]) -> None: ...


class MemoryStore:
    """A thread-safe LRU of at most `maxsize` entries, for one process."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            if key not in self._data:
                return _MISSING
            self._data.move_to_end(key)
            return self._data[key]

    def set(self, key: str, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def get_many(self, keys: list[str]) -> list[Any]:
        return [self.get(key) for key in keys]

    def set_many(self, items: dict[str, Any]) -> None:
        for key, value in items.items():
            self.set(key, value)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class RedisStore:
    """Pickled values in Redis; a Redis outage degrades to computing, never to an error page."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def get(self, key: str) -> Any:
        try:
            raw = self.connection.get(key)
        except Exception:  # the cache is an optimisation; fall back to the database
            log.warning("ledger cache: Redis get failed", exc_info=True)
            return _MISSING
        return _MISSING if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any) -> None:
        try:
            self.connection.set(key, pickle.dumps(value, protocol=5), ex=REDIS_TTL_SECONDS)
        except Exception:
            log.warning("ledger cache: Redis set failed", exc_info=True)

    def get_many(self, keys: list[str]) -> list[Any]:
        """One round trip (MGET) for many keys."""
        try:
            raws = self.connection.mget(keys) if keys else []
        except Exception:
            log.warning("ledger cache: Redis mget failed", exc_info=True)
            return [_MISSING] * len(keys)
        return [_MISSING if raw is None else pickle.loads(raw) for raw in raws]

    def set_many(self, items: dict[str, Any]) -> None:
        try:
            pipe = self.connection.pipeline(transaction=False)
            for key, value in items.items():
                pipe.set(key, pickle.dumps(value, protocol=5), ex=REDIS_TTL_SECONDS)
            pipe.execute()
        except Exception:
            log.warning("ledger cache: Redis set failed", exc_info=True)


class LedgerCache:
    def __init__(self, store: CacheStore) -> None:
        self.store = store

    @staticmethod
    def key(viewer_key: str, version: int, name: str, params: Any) -> str:
        digest = hashlib.blake2b(repr(params).encode(), digest_size=12).hexdigest()
        return f"ledgerly:ledger:{viewer_key}:{version}:{name}:{digest}"

    def fetch(self, viewer_key: str, version: int, name: str, params: Any,
              compute: Callable[[], T]) -> T:
        """The cached value for (viewer, version, name, params), computing and storing it once."""
        key = self.key(viewer_key, version, name, params)
        value = self.store.get(key)
        if value is _MISSING:
            value = compute()
            self.store.set(key, value)
        return value

    def fetch_many(self, viewer_key: str, version: int, name: str, params: list[P],
                   compute: Callable[[list[P]], dict[P, T]]) -> dict[P, T]:
        """Cached values for many params at once; `compute(missing)` fills the gaps in one go."""
        keys = [self.key(viewer_key, version, name, p) for p in params]
        found = dict(zip(params, self.store.get_many(keys), strict=True))
        missing = [p for p in params if found[p] is _MISSING]
        if missing:
            computed = compute(missing)
            self.store.set_many({self.key(viewer_key, version, name, p): computed[p]
                                 for p in missing})
            found.update(computed)
        return found


class NoCache(LedgerCache):
    """Always computes; what services use when no cache is passed (tests, CLI, jobs)."""

    def __init__(self) -> None:
        super().__init__(MemoryStore(0))

    def fetch(self, viewer_key: str, version: int, name: str, params: Any,
              compute: Callable[[], T]) -> T:
        return compute()

    def fetch_many(self, viewer_key: str, version: int, name: str, params: list[P],
                   compute: Callable[[list[P]], dict[P, T]]) -> dict[P, T]:
        return compute(list(params)) if params else {}
