"""Dead work is noticed: a real worker (`python worker.py`) is SIGKILLed with its work horse in the
middle of a large import; within a minute the polling page, or the periodic sweep, marks the job
and its batch failed, nothing was written, the page says so, and "Import again" (with a new
worker) imports every row exactly once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rq.job import Job as RQJob
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.jobs import redis_connection
from finance_app.models.job import Job
from finance_app.models.ledger import ImportBatch, Transaction
from finance_app.services import imports
from finance_app.tasks.periodic import run_scheduled
from tests.factories import scope_of
from tests.web.test_upload import _account, _mapping_fields

ROOT = Path(__file__).resolve().parent.parent
ROWS = 40_000  # four 10,000-row steps of progress: the import is seen mid-way
STOPPED = "The import stopped before it finished; nothing was saved."


@pytest.fixture()
def app_config(app_config, redis_url):
    return {**app_config, "REDIS_URL": redis_url}


def big_csv(rows: int) -> bytes:
    lines = ["Date,Description,Amount"]
    for n in range(rows):
        lines.append(f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/2024,SHOP {n} MAIN ST,"
                     f"-{1 + n % 500}.{n % 100:02d}")
    return ("\n".join(lines) + "\n").encode()


class WorkerProcess:
    """`python worker.py` against the test database and Redis, its heartbeat every 2 s."""

    def __init__(self, app_config: dict[str, Any], log_path: Path) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": app_config["REDIS_URL"],
            "SECRET_KEY": app_config["SECRET_KEY"],
            "TOKEN_ENCRYPTION_KEY": app_config["TOKEN_ENCRYPTION_KEY"],
            "INSTANCE_PATH": app_config["INSTANCE_PATH"],
            "UPLOAD_DIR": app_config["UPLOAD_DIR"],
            "MODEL_DIR": app_config["MODEL_DIR"],
            "ATTACHMENT_DIR": app_config["ATTACHMENT_DIR"],
            "MAIL_SUPPRESS_SEND": "1",
            "JOB_HEARTBEAT_SECONDS": "2",
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
        }
        self.log_path = log_path
        self.log = log_path.open("ab")
        self.process = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT,
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def horse_pids(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except FileNotFoundError:
            return []

    def sigkill_with_horse(self) -> list[int]:
        """SIGKILL the worker first (so it cannot report anything), then its work horse."""
        horses = self.horse_pids()
        self.process.send_signal(signal.SIGKILL)
        for pid in horses:
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return horses

    def stop(self) -> str:
        for pid in self.horse_pids():
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        return self.log_path.read_text(errors="replace")[-3000:]


@pytest.fixture()
def workers(app_config, tmp_path) -> Iterator[Any]:
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(app_config, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _wait(condition: Any, seconds: float, what: str, step: float = 0.1) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def _row(app, model, key):
    with app.app_context():
        return db.session.get(model, key)


def _count(app, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Transaction).where(*where))


def _live_progress(app, job_id: str) -> int:
    with app.app_context():
        rq_job = RQJob.fetch(job_id, connection=redis_connection())
        return int(rq_job.meta.get("progress", 0)) if rq_job.get_status() == "started" else -1


def _sweep(app) -> None:
    with app.app_context():  # what the cron scheduler enqueues every minute
        run_scheduled("finance_app.tasks.periodic.fail_dead_jobs")


@pytest.mark.parametrize("noticed_by", ["polling page", "sweep"])
def test_a_killed_import_is_failed_within_a_minute_and_imports_again_exactly_once(
        app, client, user_id, workers, noticed_by):
    account = _account(app, user_id)
    with app.app_context():  # staged directly: the test client leaks a large multipart body
        batch, _ = imports.stage_upload(
            db.session, scope_of(user_id), big_csv(ROWS), "big.csv",
            upload_dir=app.config["UPLOAD_DIR"], max_bytes=50 * 1024 * 1024, account_id=account)
        db.session.commit()
        batch_id = batch.id
    fields = _mapping_fields(client.get(f"/import/{batch_id}/preview").get_data(as_text=True))
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    assert client.post(f"/import/{batch_id}/confirm", data=fields).status_code == 303
    job_id = _row(app, ImportBatch, batch_id).job_id

    worker = workers()
    # Mid-way: rows are being categorized (8% .. 88%), nothing is committed yet.
    _wait(lambda: 8 < _live_progress(app, job_id) < 88, 120, "the import to be mid-way", 0.05)
    assert worker.sigkill_with_horse(), "no work horse to kill"
    killed_at = time.monotonic()
    assert _row(app, Job, job_id).status == "running"
    assert _row(app, ImportBatch, batch_id).status == "running"

    def noticed() -> bool:
        if noticed_by == "sweep":
            _sweep(app)
            page = client.get(f"/import/{batch_id}").get_data(as_text=True)
        else:
            page = client.get(f"/import/{batch_id}", headers={"HX-Request": "true"}).get_data(
                as_text=True)
        return "import-failed" in page

    _wait(noticed, 60, f"the {noticed_by} to notice the dead import", 1.0)
    assert time.monotonic() - killed_at < 60
    job, batch = _row(app, Job, job_id), _row(app, ImportBatch, batch_id)
    assert (job.status, batch.status) == ("failed", "failed")
    assert job.error.startswith("abandoned: ") and "heartbeat" in job.error
    assert batch.failure == STOPPED and batch.upload_key is not None
    assert _count(app) == 0  # one transaction: nothing of the killed run was saved

    page = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert STOPPED in page and 'id="import-again"' in page and "hx-trigger" not in page

    response = client.post_form(f"/import/{batch_id}/retry", page=f"/import/{batch_id}")
    assert response.status_code == 303
    new_job_id = _row(app, ImportBatch, batch_id).job_id
    assert new_job_id != job_id
    workers()
    _wait(lambda: _row(app, Job, new_job_id).status in ("finished", "failed"), 180,
          "the import to finish", 0.5)
    assert _row(app, Job, new_job_id).status == "finished"
    assert _row(app, ImportBatch, batch_id).status == "completed"
    assert _count(app) == ROWS
    with app.app_context():
        fingerprints = db.session.scalar(select(func.count(func.distinct(Transaction.fingerprint))))
    assert fingerprints == ROWS  # every row exactly once
    summary = client.get(f"/import/{batch_id}").get_data(as_text=True)
    assert re.search(rf'id="summary-imported">{ROWS}<', summary)
    # The dead first job stays failed; a later sweep leaves the finished batch alone.
    _sweep(app)
    assert _row(app, ImportBatch, batch_id).status == "completed"
