"""Issue 18, "more than one machine": two web processes and two RQ workers on one PostgreSQL and
one Redis, an import and a categorizer retrain running while signed-in users load both.

Run through benchmarks/http_pages.py (`--multi`); it reuses that file's household, servers and
load. The steps:

1. the 1x household in a fresh PostgreSQL database; a Redis database of its own, emptied;
2. two gunicorn processes (2 workers each) and two `python worker.py` processes, all with the
   same DATABASE_URL, REDIS_URL and instance folder (uploads, models: one machine's disk here,
   a shared volume on a PaaS, see docs/scaling.md);
3. the users of the load are split between the two web processes; while they run, the bench
   stages a CSV of new rows (the upload pipeline's own functions, as the upload page does) and
   enqueues its import, then the household's categorizer retrain;
4. afterwards: every job finished (none lost or failed, RQ's failed registries empty), the rows
   landed once, importing the same file again adds none, and both web processes show the
   same dashboard figures, which include the new rows (their caches are keyed by the ledger
   version in Redis, so neither serves a stale figure).

Only 127.0.0.1 is contacted. Prints one line per check and a summary line.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import http_pages as hp

IMPORT_ACCOUNT = "Joint savings (multi-process bench)"
# Money in the dashboard's summary widget: "$1,234.56", "-$12.00", "€3.50".
MONEY = re.compile(r"-?[$€£][\d,]+\.\d\d")


@dataclass
class MultiResult:
    jobs: dict[str, str]  # job name -> final status
    rq_failed: int
    rows_before: int
    rows_after: int
    rows_after_reimport: int
    file_rows: int
    reimport_duplicates: int
    same_figures: bool
    figures_changed: bool
    load: hp.LoadResult
    pool_timeouts: int


class RqWorker:
    """`python worker.py` (every queue) with the bench's settings, stopped on exit."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.log_path = log_path
        self.process = subprocess.Popen([str(hp.VENV_BIN / "python"), "worker.py"],
                                        cwd=hp.ROOT, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)

    def stop(self) -> None:
        hp.stop_process(self.process)
        self._log.close()


def _bench_app(url: str, instance: str) -> Any:
    from finance_app import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "SECRET_KEY": hp.SECRET_KEY,
        "REDIS_URL": hp.REDIS_URL, "RATELIMIT_ENABLED": False, "MAIL_SUPPRESS_SEND": True,
    })


def _base_model(app: Any, cache_dir: Path) -> None:
    """The shipped base categorizer in the shared MODEL_DIR (trained once, then cached)."""
    from finance_app.ml.model import FEATURES_VERSION
    from finance_app.services.categorization.learning import ensure_base_model
    from finance_app.services.categorization.settings import current_settings

    with app.app_context():
        model_dir = Path(app.config["MODEL_DIR"])
        cached = cache_dir / f"base-model-v{FEATURES_VERSION}"
        if cached.exists():
            shutil.copytree(cached, model_dir / "base", dirs_exist_ok=True)
        ensure_base_model(current_settings())
        if not cached.exists():
            shutil.copytree(model_dir / "base", cached)


def _csv(rows: int, end: date) -> bytes:
    """`rows` new purchases over the last 60 days, each unlike any generated one."""
    lines = ["Date,Description,Amount"]
    for n in range(rows):
        day = end - timedelta(days=n % 60)
        amount = -(Decimal(3) + Decimal(n % 4000) / 100)
        lines.append(f"{day.isoformat()},MULTI BENCH STORE {n:05d},{amount}")
    return ("\n".join(lines) + "\n").encode()


def _enqueue_import(app: Any, data: bytes) -> str:
    """What the upload page does: stage, confirm with the detected mapping, enqueue."""
    from finance_app.extensions import db
    from finance_app.services import imports
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users
    from finance_app.tasks.imports import run_import_later

    with app.app_context():
        user = users.get_user_by_email(db.session, hp.EMAIL)
        scope = member_scope(db.session, user)
        upload_dir = app.config["UPLOAD_DIR"]
        batch, preview = imports.stage_upload(
            db.session, scope, data, "multi-bench.csv", upload_dir=upload_dir,
            max_bytes=len(data) + 1, new_account=imports.NewAccount(IMPORT_ACCOUNT, "savings"))
        imports.confirm_import(db.session, scope, batch.id, upload_dir, preview.mapping)
        db.session.commit()
        job = run_import_later(scope, batch.id)
        db.session.commit()
        return str(job.id)


def _enqueue_retrain(app: Any) -> str:
    from finance_app.extensions import db
    from finance_app.jobs import enqueue
    from finance_app.services.households.membership import member_scope
    from finance_app.services.identity import users
    from finance_app.tasks.categorization import retrain_user_model

    with app.app_context():
        user = users.get_user_by_email(db.session, hp.EMAIL)
        household_id = member_scope(db.session, user).household_id
        job = enqueue(retrain_user_model, household_id, household_id=household_id,
                      name="retrain categorizer", description="Learning from your categories")
        db.session.commit()
        return str(job.id)


def _wait_jobs(app: Any, ids: dict[str, str], timeout: float = 600) -> dict[str, str]:
    from finance_app.extensions import db
    from finance_app.models.job import Job

    deadline = time.perf_counter() + timeout
    with app.app_context():
        while True:
            db.session.expire_all()
            found = {name: db.session.get(Job, job_id) for name, job_id in ids.items()}
            if all(job is not None and job.is_done for job in found.values()) \
                    or time.perf_counter() > deadline:
                return {name: (job.status if job else "missing") for name, job in found.items()}
            db.session.rollback()
            time.sleep(0.5)


def _batch_of(app: Any, job_id: str) -> tuple[int, int]:
    """(imported, duplicates + held for review) of the batch the import job ran."""
    import sqlalchemy as sa

    from finance_app.extensions import db
    from finance_app.models.ledger import ImportBatch

    with app.app_context():
        batch = db.session.scalars(sa.select(ImportBatch).where(
            ImportBatch.job_id == job_id)).one()
        return batch.imported_count, batch.duplicate_count + batch.review_count


def _rows(url: str) -> int:
    import sqlalchemy as sa

    with hp._engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM transactions")).scalar_one())


def _rq_failed(app: Any) -> int:
    from rq.registry import FailedJobRegistry

    from finance_app.jobs import get_queue
    from finance_app.queues import ALL_QUEUES

    with app.app_context():
        queues = [get_queue(name) for name in ALL_QUEUES]
        return sum(len(FailedJobRegistry(queue=q)) for q in queues if q is not None)


def _figures(client: hp.Client) -> list[str]:
    """The money on the dashboard's summary and balances widgets, as a signed-in member sees."""
    found = []
    for widget in ("summary", "balances"):
        req = urllib.request.Request(client.browser.base + f"/dashboard/?widget={widget}",
                                     headers={"HX-Request": "true"})
        with client.browser.opener.open(req, timeout=hp.TIMEOUT) as response:
            found += MONEY.findall(response.read().decode())
    return found


def run_multi(args: argparse.Namespace) -> MultiResult:
    import redis
    from dashboard import PASSWORD

    redis.Redis.from_url(hp.REDIS_URL).flushdb()  # the bench's own Redis database
    household = hp.prepare("postgres", 1, Path(args.cache_dir), args.transactions)
    print(f"multi: {household.transactions:,} transactions, {household.source} in "
          f"{household.seconds:.1f} s", flush=True)
    instance = tempfile.mkdtemp(prefix="ledgerly-http-multi-")
    workers: list[RqWorker] = []
    try:
        app = _bench_app(household.url, instance)
        started = time.perf_counter()
        _base_model(app, Path(args.cache_dir))
        print(f"  base categorizer ready in {time.perf_counter() - started:.1f} s", flush=True)
        env = hp.server_env(household.url, instance, redis=True)
        workers = [RqWorker(env, Path(instance) / f"rq-worker-{n}.log") for n in (1, 2)]
        with hp.Server(household.url, workers=2, redis=True, instance=instance) as web_a, \
                hp.Server(household.url, workers=2, redis=True, instance=instance) as web_b:
            client_a, client_b = hp.Client(web_a.base), hp.Client(web_b.base)
            client_a.sign_in(PASSWORD)
            client_b.sign_in(PASSWORD)
            figures_before = _figures(client_a)
            rows_before = _rows(household.url)
            data = _csv(args.multi_rows, household.end)
            load_result: list[hp.LoadResult] = []
            loader = threading.Thread(target=lambda: load_result.append(hp.run_load(
                [web_a.base, web_b.base], household.url, PASSWORD, args.users, args.seconds,
                args.think, 0)))
            loader.start()
            time.sleep(min(5.0, args.seconds / 4))  # the users are signed in and browsing
            jobs = {"import": _enqueue_import(app, data), "retrain": _enqueue_retrain(app)}
            loader.join()
            statuses = _wait_jobs(app, jobs)
            rows_after = _rows(household.url)
            # The same file again, as a user who uploads it twice: nothing new.
            again = _enqueue_import(app, data)
            statuses["import again"] = _wait_jobs(app, {"again": again})["again"]
            rows_again = _rows(household.url)
            _, duplicates = _batch_of(app, again)
            figures_a, figures_b = _figures(client_a), _figures(client_b)
            timeouts = sum(len(re.findall(r"QueuePool limit|TimeoutError", s.log()))
                           for s in (web_a, web_b))
        return MultiResult(
            jobs=statuses, rq_failed=_rq_failed(app), rows_before=rows_before,
            rows_after=rows_after, rows_after_reimport=rows_again, file_rows=args.multi_rows,
            reimport_duplicates=duplicates, same_figures=bool(figures_a) and figures_a == figures_b,
            figures_changed=figures_a != figures_before, load=load_result[0],
            pool_timeouts=timeouts,
        )
    finally:
        for worker in workers:
            worker.stop()
        hp._dispose_engines()
        for step in reversed(household.cleanup):
            step()
        shutil.rmtree(instance, ignore_errors=True)


def report(result: MultiResult) -> str:
    """The checks, one per line, and a last line saying whether all passed."""
    checks = [
        ("every job finished", all(s == "finished" for s in result.jobs.values()),
         ", ".join(f"{name} {status}" for name, status in result.jobs.items())),
        ("nothing in RQ's failed registry", result.rq_failed == 0, f"{result.rq_failed} failed"),
        ("the file's rows landed once",
         result.rows_after - result.rows_before == result.file_rows,
         f"{result.rows_before:,} -> {result.rows_after:,} (+{result.file_rows:,} in the file)"),
        ("importing it again adds none",
         result.rows_after_reimport == result.rows_after
         and result.reimport_duplicates == result.file_rows,
         f"{result.rows_after_reimport:,} rows, {result.reimport_duplicates:,} skipped"),
        ("both web processes show the same figures", result.same_figures, ""),
        ("and those figures include the import", result.figures_changed, ""),
        ("load: no errors", result.load.errors == 0, f"{result.load.errors} errors"),
        ("load: no connection-pool timeouts", result.pool_timeouts == 0,
         f"{result.pool_timeouts} timeouts"),
        (f"load: p95 <= {hp.LOAD_TARGET_P95:.0f} ms", result.load.p95 <= hp.LOAD_TARGET_P95,
         f"p95 {result.load.p95:.0f} ms"),
    ]
    lines = [f"  {'ok  ' if ok else 'FAIL'} {name}" + (f" ({detail})" if detail else "")
             for name, ok, detail in checks]
    load = result.load
    lines.append(f"multi-process (2 web x 2 workers, 2 RQ workers, PostgreSQL, Redis): "
                 f"{load.users} users {load.seconds:.0f} s, {load.requests} requests, p50 "
                 f"{load.p50:.0f} / p95 {load.p95:.0f} ms, errors {load.errors}, jobs "
                 f"{sum(s == 'finished' for s in result.jobs.values())}/{len(result.jobs)} "
                 f"finished, rows +{result.rows_after - result.rows_before:,}, checks "
                 f"{sum(ok for _, ok, _ in checks)}/{len(checks)} passed")
    return "\n".join(lines)
