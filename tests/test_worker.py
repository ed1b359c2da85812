"""The real worker process (`python worker.py`) runs jobs with the app context, and the cron
configuration registers every periodic job with RQ's scheduler."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq.cron import CronScheduler

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.models.job import Job
from finance_app.tasks.periodic import SCHEDULE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def app_config(app_config, redis_url):
    return {**app_config, "REDIS_URL": redis_url}


def test_worker_process_runs_a_job_in_a_forked_work_horse(app, ctx, app_config):
    job = enqueue("tests.test_jobs.add_numbers", 40, 2)
    env = {
        **os.environ,
        "DATABASE_URL": app_config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": app_config["REDIS_URL"],
        "SECRET_KEY": app_config["SECRET_KEY"],
        "TOKEN_ENCRYPTION_KEY": app_config["TOKEN_ENCRYPTION_KEY"],
        "INSTANCE_PATH": app_config["INSTANCE_PATH"],
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            db.session.expire_all()
            status = db.session.get(Job, job.id).status
            if status in ("finished", "failed"):
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0].decode(errors="replace")
    row = db.session.get(Job, job.id)
    assert status == "finished", output[-2000:]
    assert row.result == {"sum": 42}


def test_cron_config_registers_every_periodic_job(ctx, redis_url):
    from redis import Redis

    connection = Redis.from_url(redis_url)
    scheduler = CronScheduler(connection=connection)
    scheduler.load_config_from_file("finance_app.tasks.cron_config")
    registered = sorted(job.args[0] for job in scheduler.get_jobs())
    assert registered == sorted(path for path, _ in SCHEDULE.values())
    assert all(job.cron for job in scheduler.get_jobs())
    connection.close()


def test_a_scheduled_run_is_recorded_as_a_job(ctx):
    from finance_app.tasks.periodic import run_scheduled

    result = run_scheduled("finance_app.tasks.periodic.purge_expired_sessions")
    assert result == {"deleted": 0}
    assert db.session.query(Job).filter_by(name="purge_expired_sessions").one().status == (
        "finished")
