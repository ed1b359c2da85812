"""Benchmark: pages over HTTP (gunicorn, signed in) at 1x and 10x data, and under concurrent load.

Issue 18. For each database and scale:

1. a household of 5 years / 4 accounts (1x: about 30,000 transactions; 10x: about 290,000, the
   same generator with more purchases a day) is generated with benchmarks/dashboard.py's loader,
   or loaded from a cache folder (`--cache-dir`, under /tmp) where the first run left it;
2. gunicorn serves it on a free port of 127.0.0.1 (one sync worker), the benchmark signs in
   through the real sign-in form (CSRF token and all), then times each page over HTTP:
   cold = the first request after a write (`--cold-write`: a transaction of today, which makes
   every cached figure stale and today's month of the summary; or "every", a write that may
   change every month, e.g. a category's kind), warm = p50/p95 of `--requests` requests; the
   server counts the SQL statements of each request (a response header added by
   `counted_app()`, benchmark only);
3. `--load`: gunicorn with `--workers 4` on PostgreSQL and Redis, `--users` signed-in users
   (50) for `--seconds` on a mix of dashboard, transactions, search and budgets, each user
   waiting about `--think` seconds between pages, while a writer bumps the ledger version every
   `--write-every` seconds (an import landing); reports p95, errors, connection-pool timeouts
   in the server log and the most PostgreSQL connections seen at once.

    .venv/bin/python benchmarks/http_pages.py                       # 1x, SQLite and PostgreSQL
    .venv/bin/python benchmarks/http_pages.py --db postgres --load --seconds 60
    .venv/bin/python benchmarks/http_pages.py --scale 10 --db sqlite --requests 20
    .venv/bin/python benchmarks/http_pages.py --multi --seconds 60   # 2 web + 2 RQ workers

PostgreSQL: a throwaway database on 127.0.0.1:5432 (BENCH_PG_ADMIN_URL / TEST_PG_ADMIN_URL),
dropped at the end. Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379/13). Only 127.0.0.1
is contacted. Targets (issue 18) are printed beside the figures; they are not timed tests.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
for _path in (str(ROOT), str(BENCH)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from processes import stop_process  # noqa: E402  (benchmarks/ on the path first)

VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_ADMIN_URL",
    os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
EMAIL = "bench@example.com"  # the user benchmarks/dashboard.py's loader creates
SECRET_KEY = "http-bench-" + "x" * 40
QUERIES_HEADER = "X-Bench-Queries"
TRANSACTIONS = {1: 30_000, 10: 290_000}
TIMEOUT = 120.0

# (label, path, HTMX?, target kind). Paths use {checking}, {start}, {end}.
PAGES: list[tuple[str, str, bool, str]] = [
    ("dashboard (this month)", "/dashboard/", False, "dashboard"),
    ("dashboard (last 12 months)", "/dashboard/?range=last_12_months", False, "dashboard"),
    ("dashboard (all 5 years)", "/dashboard/?range=custom&start={start}&end={end}", False,
     "dashboard"),
    ("trend monthly, 5 years (htmx)",
     "/dashboard/?widget=trends&granularity=monthly&range=custom&start={start}&end={end}", True,
     "page"),
    ("transactions page 1", "/transactions/", False, "list"),
    ('search "starbucks"', "/transactions/?q=starbucks", False, "list"),
    ("account register (checking)", "/accounts/{checking}", False, "list"),
    ("budgets", "/budgets/", False, "page"),
]
# Issue 18's targets in ms: (warm p95, cold p95 or None) per scale and kind of page.
TARGETS: dict[int, dict[str, tuple[float, float | None]]] = {
    1: {"dashboard": (30, 150), "page": (30, None), "list": (40, None)},
    10: {"dashboard": (100, 500), "page": (100, None), "list": (100, None)},
}
LOAD_MIX = [("dashboard", "/dashboard/", 35), ("transactions", "/transactions/", 25),
            ("search", "/transactions/?q=starbucks", 20), ("budgets", "/budgets/", 20)]
LOAD_TARGET_P95 = 300.0


# ------------------------------------------------------------------ the server side


def counted_app() -> Any:
    """The app as wsgi.py builds it, answering with the number of SQL statements each request
    sent (header X-Bench-Queries). Benchmark only: `gunicorn 'http_pages:counted_app()'`."""
    import sqlalchemy as sa
    from flask import g, has_app_context

    from finance_app import create_app, freeze_startup_heap
    from finance_app.extensions import db

    app = create_app()
    freeze_startup_heap()

    def count(*_args: object) -> None:
        if has_app_context() and "bench_queries" in g:
            g.bench_queries += 1

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)

    @app.before_request
    def _start() -> None:
        g.bench_queries = 0

    @app.after_request
    def _header(response: Any) -> Any:
        response.headers[QUERIES_HEADER] = str(g.get("bench_queries", 0))
        return response

    return app


# ------------------------------------------------------------------ data


@dataclass
class Household:
    url: str  # the database URL the server uses
    checking: int
    start: date
    end: date
    transactions: int
    seconds: float  # generating or loading
    source: str  # "generated" or "cache"
    cleanup: list = field(default_factory=list)


def _schema_key() -> str:
    """Changes when a migration is added, so a cached database is never an older schema."""
    import hashlib

    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    return hashlib.blake2b("\n".join(names).encode(), digest_size=4).hexdigest()


def _pg_admin(sql: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(sql))
    admin.dispose()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _facts(url: str) -> tuple[int, date, date, int]:
    """(checking account id, first date, last date, transactions) of the bench household."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        checking = conn.execute(sa.text(
            "SELECT id FROM accounts WHERE name ILIKE '%checking%' ORDER BY id LIMIT 1"
            if url.startswith("postgresql") else
            "SELECT id FROM accounts WHERE lower(name) LIKE '%checking%' ORDER BY id LIMIT 1"
        )).scalar_one()
        first, last, count = conn.execute(sa.text(
            "SELECT min(date), max(date), count(*) FROM transactions")).one()
    engine.dispose()
    return int(checking), _as_date(first), _as_date(last), int(count)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def prepare(db_name: str, scale: int, cache_dir: Path, transactions: int | None) -> Household:
    """A migrated database holding the bench household, from the cache when it is there."""
    import dashboard  # benchmarks/dashboard.py: the loader (user, 5-year ledger, budgets)

    count = transactions or TRANSACTIONS[scale]
    # The generator ends today: a cached ledger is good for the day it was made.
    key = f"{count}tx-{_schema_key()}-{date.today().isoformat()}"
    cache_dir.mkdir(parents=True, exist_ok=True)
    instance = tempfile.mkdtemp(prefix="ledgerly-http-bench-")
    cleanup: list = [lambda: shutil.rmtree(instance, ignore_errors=True)]
    started = time.perf_counter()
    if db_name == "sqlite":
        cached = cache_dir / f"{key}.sqlite3"
        url = f"sqlite:///{instance}/finance.sqlite3"
        source = "cache"
        if not cached.exists():
            source = "generated"
            app = dashboard._app(url, instance)
            dashboard.load(app, count)
            with app.app_context():
                from finance_app.extensions import db
                db.engine.dispose()
            shutil.copyfile(f"{instance}/finance.sqlite3", cached)
        else:
            shutil.copyfile(cached, f"{instance}/finance.sqlite3")
    else:
        cached = cache_dir / f"{key}.pgdump"
        name = f"ledgerly_http_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{name}"')
        cleanup.append(lambda: _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        source = "cache"
        if not cached.exists():
            source = "generated"
            app = dashboard._app(url, instance)
            dashboard.load(app, count)
            with app.app_context():
                from finance_app.extensions import db
                db.engine.dispose()
            subprocess.run(["pg_dump", "-Fc", "-f", str(cached), _libpq(url)], check=True)
        else:
            subprocess.run(["pg_restore", "--no-owner", "-d", _libpq(url), str(cached)],
                           check=True)
        # What autovacuum does soon after a big import (statistics, visibility map).
        subprocess.run(["psql", "-q", _libpq(url), "-c", "VACUUM ANALYZE"], check=True,
                       stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    checking, first, last, rows = _facts(url)
    return Household(url, checking, first, last, rows, seconds, source, cleanup)


# What the write before each cold request changes (`--cold-write`): "today" is a transaction
# added or edited today (a new ledger version, today's month stamped: ledger.version), "every"
# a write that may change every month (a category or account edit, a bulk update).
COLD_WRITES = ("today", "every")
_cold_write = "today"


def bump_ledger_version(url: str, write: str | None = None) -> None:
    """What a write does to the cache: the household's ledger version changes, and the month
    it touched (or, for "every", the summary base)."""
    import sqlalchemy as sa

    write = write or _cold_write
    token = random.getrandbits(62)
    engine = _engine(url)
    with engine.begin() as conn:
        if write == "every":
            conn.execute(sa.text("UPDATE ledger_versions SET version = :v, summary_base = :v"),
                         {"v": token})
            return
        conn.execute(sa.text("UPDATE ledger_versions SET version = :v"), {"v": token})
        conn.execute(sa.text(
            "INSERT INTO ledger_month_stamps (household_id, month, stamp)"
            " SELECT household_id, :m, :v FROM ledger_versions WHERE true"
            " ON CONFLICT (household_id, month) DO UPDATE SET stamp = excluded.stamp"),
            {"v": token, "m": date.today().replace(day=1)})


_ENGINES: dict[str, Any] = {}


def _engine(url: str) -> Any:
    import sqlalchemy as sa

    if url not in _ENGINES:
        _ENGINES[url] = sa.create_engine(url)
    return _ENGINES[url]


def _dispose_engines() -> None:
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()


# ------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(url: str, instance: str, redis: bool) -> dict[str, str]:
    """The environment of a web or worker process of the benchmark: its own settings only."""
    dropped = {"DATABASE_URL", "REDIS_URL", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({
        "INSTANCE_PATH": instance, "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url,
        "RATELIMIT_ENABLED": "false", "LOG_LEVEL": "WARNING", "MAIL_SUPPRESS_SEND": "true",
    })
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


class Server:
    """gunicorn on a free port of 127.0.0.1, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, url: str, workers: int = 1, redis: bool = False,
                 instance: str | None = None) -> None:
        self.instance = instance or tempfile.mkdtemp(prefix="ledgerly-http-srv-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = server_env(url, self.instance, redis)
        self.log_path = Path(self.instance) / f"gunicorn-{self.port}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "http_pages:counted_app()", "--pythonpath",
             f"{BENCH},{ROOT}", "--workers", str(workers), "--worker-class", "sync",
             "--bind", f"127.0.0.1:{self.port}", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        from startup import Browser  # benchmarks/startup.py: cookie-keeping stdlib client

        started = time.perf_counter()
        browser = Browser(self.base)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log()[-3000:]}")
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError("gunicorn did not answer in time")
            try:
                if browser.get("/auth/login")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        self._log.close()

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# ------------------------------------------------------------------ the client


class Client:
    """A signed-in browser over HTTP: the sign-in form's CSRF token, cookies, no redirects."""

    def __init__(self, base: str) -> None:
        from startup import Browser

        self.browser = Browser(base)

    def sign_in(self, password: str) -> None:
        status, html = self.browser.get("/auth/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert status == 200 and token, "no CSRF token on the sign-in page"
        answer = self.browser.post("/auth/login", {"email": EMAIL, "password": password,
                                                   "csrf_token": token.group(1)})
        assert answer == 303, f"sign-in answered {answer}"

    def get(self, path: str, htmx: bool = False) -> tuple[int, float, int]:
        """(status, milliseconds, SQL statements the server sent) of one GET."""
        import urllib.request

        request = urllib.request.Request(self.browser.base + path,
                                         headers={"HX-Request": "true"} if htmx else {})
        started = time.perf_counter()
        try:
            with self.browser.opener.open(request, timeout=TIMEOUT) as response:
                response.read()
                status, queries = response.status, response.headers.get(QUERIES_HEADER, "0")
        except urllib.error.HTTPError as exc:
            exc.read()
            status, queries = exc.code, exc.headers.get(QUERIES_HEADER, "0")
        return status, (time.perf_counter() - started) * 1000, int(queries or 0)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class PageResult:
    label: str
    kind: str
    cold: list[float]
    warm: list[float]
    cold_queries: int
    warm_queries: int


def time_pages(client: Client, db_url: str, values: dict[str, Any], cold_runs: int,
               requests: int, pages: list[tuple[str, str, bool, str]] | None = None,
               ) -> list[PageResult]:
    results = []
    for label, template, htmx, kind in pages or PAGES:
        path = template.format(**values)
        status, _, _ = client.get(path, htmx)  # compile templates, warm plans
        assert status == 200, (path, status)
        cold, cold_queries = [], 0
        for _ in range(cold_runs):
            bump_ledger_version(db_url)
            status, ms, cold_queries = client.get(path, htmx)
            assert status == 200, (path, status)
            cold.append(ms)
        warm, warm_queries = [], 0
        client.get(path, htmx)
        for _ in range(requests):
            status, ms, warm_queries = client.get(path, htmx)
            assert status == 200, (path, status)
            warm.append(ms)
        results.append(PageResult(label, kind, cold, warm, cold_queries, warm_queries))
    return results


# ------------------------------------------------------------------ concurrent load


@dataclass
class LoadResult:
    users: int
    seconds: float
    requests: int
    errors: int
    p50: float
    p95: float
    by_page: dict[str, tuple[int, float]]
    pool_timeouts: int
    max_connections: int
    writes: int


def run_load(base: str | list[str], db_url: str, password: str, users: int, seconds: float,
             think: float, write_every: float) -> LoadResult:
    """`users` signed-in users on `base` (one server, or several taken in turn)."""
    import sqlalchemy as sa

    bases = [base] if isinstance(base, str) else base
    clients = []
    for n in range(users):
        client = Client(bases[n % len(bases)])
        client.sign_in(password)
        clients.append(client)
    timings: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    weights = [w for _, _, w in LOAD_MIX]

    def user(client: Client, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, think))  # users do not all arrive in the same millisecond
        while time.perf_counter() < stop_at:
            name, path, _ = rng.choices(LOAD_MIX, weights)[0]
            try:
                status, ms, _q = client.get(path)
            except Exception:  # a reset connection or a timeout is an error, not a crash
                status, ms = 599, TIMEOUT * 1000
            with lock:
                timings.append((name, ms, status))
            time.sleep(rng.uniform(0, 2 * think))

    writes = 0
    max_connections = 0
    database = db_url.rsplit("/", 1)[1]
    threads = [threading.Thread(target=user, args=(c, n), daemon=True)
               for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    next_write = time.perf_counter() + write_every
    engine = _engine(db_url)
    while time.perf_counter() < stop_at:
        time.sleep(0.25)
        if db_url.startswith("postgresql"):
            with engine.connect() as conn:
                seen = conn.execute(sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d"),
                    {"d": database}).scalar_one()
            max_connections = max(max_connections, int(seen) - 1)  # minus this probe
        if write_every and time.perf_counter() >= next_write:
            bump_ledger_version(db_url)
            writes += 1
            next_write += write_every
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    ok = [ms for _, ms, status in timings if status == 200]
    by_page = {}
    for name, _, _ in LOAD_MIX:
        page = [ms for n, ms, s in timings if n == name and s == 200]
        by_page[name] = (len(page), pct(page, .95) if page else 0.0)
    return LoadResult(users, seconds, len(timings),
                      sum(1 for *_, status in timings if status != 200),
                      pct(ok, .5) if ok else 0.0, pct(ok, .95) if ok else 0.0, by_page, 0,
                      max_connections, writes)


# ------------------------------------------------------------------ one run


def run(db_name: str, scale: int, args: argparse.Namespace) -> tuple[list[PageResult],
                                                                     LoadResult | None, str]:
    from dashboard import PASSWORD

    household = prepare(db_name, scale, Path(args.cache_dir), args.transactions)
    print(f"{db_name} {scale}x: {household.transactions:,} transactions "
          f"({household.start} .. {household.end}) {household.source} in "
          f"{household.seconds:.1f} s", flush=True)
    values = {"checking": household.checking, "start": household.start.isoformat(),
              "end": household.end.isoformat()}
    load = None
    try:
        with Server(household.url, workers=1, redis=args.redis) as server:
            client = Client(server.base)
            client.sign_in(PASSWORD)
            pages = time_pages(client, household.url, values, args.cold, args.requests)
        if args.load and db_name == "postgres":
            with Server(household.url, workers=4, redis=True) as server:
                load = run_load(server.base, household.url, PASSWORD, args.users, args.seconds,
                                args.think, args.write_every)
                load.pool_timeouts = len(re.findall(r"QueuePool limit|TimeoutError",
                                                    server.log()))
        _dispose_engines()
    finally:
        for step in reversed(household.cleanup):
            step()
    return pages, load, f"{household.transactions:,} tx"


def print_table(rows: list[tuple[str, int, PageResult]]) -> None:
    print(f"\n{'db':<8} {'scale':>5}  {'page':<31} {'cold p50':>8} {'p95':>6}  "
          f"{'warm p50':>8} {'p95':>6}  {'queries c/w':>11}  target (warm / cold p95)")
    for db_name, scale, r in rows:
        warm_target, cold_target = TARGETS[scale][r.kind]
        ok = pct(r.warm, .95) <= warm_target and (
            cold_target is None or pct(r.cold, .95) <= cold_target)
        target = f"{warm_target:.0f}" + (f" / {cold_target:.0f}" if cold_target else "")
        print(f"{db_name:<8} {scale:>4}x  {r.label:<31} {pct(r.cold, .5):8.0f} "
              f"{pct(r.cold, .95):6.0f}  {pct(r.warm, .5):8.1f} {pct(r.warm, .95):6.1f}  "
              f"{r.cold_queries:>5} / {r.warm_queries:<3}  {target:<10} "
              f"{'ok' if ok else 'SLOW'}")


def summary(db_name: str, scale: int, size: str, pages: list[PageResult]) -> str:
    worst_warm = max(pages, key=lambda r: pct(r.warm, .95) / TARGETS[scale][r.kind][0])
    dashboards = [r for r in pages if r.kind == "dashboard"]
    cold = max(pct(r.cold, .95) for r in dashboards)
    met = sum(1 for r in pages if pct(r.warm, .95) <= TARGETS[scale][r.kind][0])
    return (f"{db_name} {scale}x ({size}): warm p95 within target on {met}/{len(pages)} pages "
            f"(worst {worst_warm.label} {pct(worst_warm.warm, .95):.0f} ms); dashboard cold p95 "
            f"{cold:.0f} ms (target {TARGETS[scale]['dashboard'][1]:.0f}); cold queries "
            f"{max(r.cold_queries for r in dashboards)} (dashboard)")


def main() -> None:
    logging.getLogger("finance_app.notifications.email").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--scale", type=int, choices=(1, 10), action="append",
                        help="1 (default) and/or 10; repeat for both")
    parser.add_argument("--transactions", type=int, help="override the scale's size")
    parser.add_argument("--cold", type=int, default=10, help="cold requests per page")
    parser.add_argument("--cold-write", choices=COLD_WRITES, default="today",
                        help="the write before each cold request: a transaction of today "
                             "(default) or one that may change every month")
    parser.add_argument("--requests", type=int, default=30, help="warm requests per page")
    parser.add_argument("--redis", action="store_true",
                        help="page timings with the ledger cache in Redis (else in-process)")
    parser.add_argument("--load", action="store_true",
                        help="also the concurrent load (PostgreSQL + Redis, 4 workers)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between pages")
    parser.add_argument("--write-every", type=float, default=10.0,
                        help="seconds between ledger-version bumps during the load (0: none)")
    parser.add_argument("--multi", action="store_true",
                        help="instead: two web processes and two RQ workers on PostgreSQL and "
                             "Redis, an import and a retrain during the load (http_multi.py)")
    parser.add_argument("--multi-rows", type=int, default=5_000,
                        help="rows of the file imported during the --multi load")
    parser.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir())
                                                   / "ledgerly-http-bench-cache"))
    args = parser.parse_args()
    global _cold_write
    _cold_write = args.cold_write

    from machine import python_speed

    print(python_speed(), flush=True)
    if args.multi:
        from http_multi import report, run_multi

        print(report(run_multi(args)))
        return
    names = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    rows: list[tuple[str, int, PageResult]] = []
    lines, loads = [], []
    for scale in args.scale or [1]:
        for db_name in names:
            pages, load, size = run(db_name, scale, args)
            rows += [(db_name, scale, r) for r in pages]
            lines.append(summary(db_name, scale, size, pages))
            if load:
                loads.append((scale, load))
    print_table(rows)
    for scale, load in loads:
        pages = ", ".join(f"{name} {n} req p95 {p95:.0f}" for name, (n, p95) in
                          load.by_page.items())
        print(f"\nload {scale}x: {load.users} users, {load.seconds:.0f} s, {load.requests} "
              f"requests ({load.requests / load.seconds:.1f}/s), p50 {load.p50:.0f} ms, p95 "
              f"{load.p95:.0f} ms (target {LOAD_TARGET_P95:.0f}), errors {load.errors}, "
              f"pool timeouts {load.pool_timeouts}, most PG connections {load.max_connections}, "
              f"ledger writes {load.writes}\n  {pages}")
    print()
    for line in lines:
        print(line)
    print(f"load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on "
          f"{os.cpu_count()} CPUs; {args.cold} cold and {args.requests} warm requests per page;"
          f" cold = after a write to {'today' if args.cold_write == 'today' else 'every month'}")


if __name__ == "__main__":
    main()
