"""Benchmark: how long a new process takes before it is useful (issue 17, "first hour").

Prints three figures, each the median and best of a few fresh processes:

1. `flask --help` (every CLI command pays this: the app is created to list the commands);
2. gunicorn's first answer: from starting `gunicorn wsgi:app` (one sync worker, a free port,
   SQLite in a scratch instance folder) to the first 200 of GET /auth/login;
3. the first dashboard after a start: in a freshly started gunicorn, sign in, then the time of
   the first GET /dashboard/ over a 5-year ledger (cold process, cold ledger cache).

    .venv/bin/python benchmarks/startup.py
    .venv/bin/python benchmarks/startup.py --runs 5 --transactions 30000

Targets: under 1 s, under 1.5 s and under 300 ms. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from processes import stop_process  # noqa: E402  (benchmarks/ on the path first)

VENV_BIN = Path(sys.executable).parent
PASSWORD = "benchmark horse battery 42"  # the user benchmarks/dashboard.py creates
SECRET_KEY = "startup-bench-" + "x" * 40
TIMEOUT = 60.0  # seconds before a server that never answers is given up on


def spread(values: list[float], unit: str) -> str:
    if unit == "ms":
        values = [v * 1000 for v in values]
        return (f"median {statistics.median(values):6.0f} ms (best {min(values):.0f}, "
                f"worst {max(values):.0f}, {len(values)} runs)")
    return (f"median {statistics.median(values):6.2f} s  (best {min(values):.2f}, "
            f"worst {max(values):.2f}, {len(values)} runs)")


def process_env(instance: str) -> dict[str, str]:
    # As deployed: bytecode caches are written (pip compiles them at install), so a process
    # started with PYTHONDONTWRITEBYTECODE (some shells and CI set it) would time the compiler.
    dropped = {"DATABASE_URL", "REDIS_URL", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({
        "INSTANCE_PATH": instance, "FLASK_APP": "wsgi", "SECRET_KEY": SECRET_KEY,
        "RATELIMIT_ENABLED": "false", "LOG_LEVEL": "ERROR", "MAIL_SUPPRESS_SEND": "true",
    })
    return env


def prepare_instance(transactions: int) -> str:
    """A scratch instance folder: migrated SQLite with one user's 5-year ledger."""
    import dashboard  # benchmarks/dashboard.py: the same loader and user as the dashboard bench

    instance = tempfile.mkdtemp(prefix="ledgerly-startup-")
    app = dashboard._app(f"sqlite:///{instance}/finance.sqlite3", instance)
    dashboard.load(app, transactions)
    with app.app_context():
        from finance_app.extensions import db

        db.engine.dispose()
    return instance


def time_flask_help(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "flask"), "--help"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None  # a 303 is answered as it is: the sign-in must not load the dashboard


class Browser:
    """A cookie-keeping HTTP client for 127.0.0.1 (stdlib only) that follows no redirect."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=TIMEOUT) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:  # 3xx without a followed redirect
            return exc.code


def one_server_run(env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the first 200 of /auth/login, seconds of the first /dashboard/)."""
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "wsgi:app", "--workers", "1", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        html = ""
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {server.stderr.read().decode()[-2000:]}")
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError("gunicorn did not answer in time")
            try:
                status, html = browser.get("/auth/login")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.005)
        first_answer = time.perf_counter() - started

        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert token, "no CSRF token on the sign-in page"
        signed_in = browser.post("/auth/login", {"email": "bench@example.com",
                                                 "password": PASSWORD,
                                                 "csrf_token": token.group(1)})
        assert signed_in == 303, f"sign-in answered {signed_in}"
        before = time.perf_counter()
        status, page = browser.get("/dashboard/")
        first_dashboard = time.perf_counter() - before
        assert status == 200 and 'name="password"' not in page, status
        return first_answer, first_dashboard
    finally:
        stop_process(server, timeout=20)
        if server.stderr:
            server.stderr.close()


def main() -> None:
    logging.getLogger("finance_app.notifications.email").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--transactions", type=int, default=30_000)
    args = parser.parse_args()

    from machine import python_speed

    print(python_speed())
    print(f"preparing a 5-year ledger of about {args.transactions:,} transactions...")
    instance = prepare_instance(args.transactions)
    env = process_env(instance)
    try:
        # The first run also writes bytecode caches (Python's and Jinja's); not counted.
        time_flask_help(env)
        one_server_run(env)
        helps = [time_flask_help(env) for _ in range(args.runs)]
        answers, dashboards = [], []
        for _ in range(args.runs):
            answer, dashboard_seconds = one_server_run(env)
            answers.append(answer)
            dashboards.append(dashboard_seconds)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    print(f"flask --help                        {spread(helps, 's')}   target < 1 s")
    print(f"gunicorn first answer (/auth/login) {spread(answers, 's')}   target < 1.5 s")
    print(f"first dashboard after a start       {spread(dashboards, 'ms')}   target < 300 ms")


if __name__ == "__main__":
    main()
