"""The job layer every feature uses: enqueue on RQ when Redis is configured, else run in-process.

`enqueue()` records a `Job` row, commits it, then hands the job to RQ (or runs it at once). The
function runs inside `run_job()`, which records status, result and error on that row. Work
reports its progress with `report_progress(percent, message)`; a page polls the row (and, under
RQ, the job's meta in Redis, which is where live progress lives so that a job's own open database
transaction never blocks its progress reports).
"""

from __future__ import annotations

import contextvars
import importlib
import logging
import os
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis import Redis
from rq import Queue
from rq import get_current_job as get_current_rq_job

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.job import FAILED, FINISHED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)

_current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_job_id", default=None
)
_inline_progress: dict[str, tuple[int, str]] = {}
_engine_pid = os.getpid()


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    ext = current_app.extensions.setdefault("finance_redis", {})
    if url not in ext:
        ext[url] = Redis.from_url(url)
    return ext[url]


def get_queue(name: str = "default") -> Queue | None:
    connection = redis_connection()
    if connection is None:
        return None
    return Queue(name, connection=connection, default_timeout=3600)


def dotted_path(fn: Callable[..., Any] | str) -> str:
    if isinstance(fn, str):
        return fn
    return f"{fn.__module__}.{fn.__qualname__}"


def resolve(path: str) -> Callable[..., Any]:
    module_name, _, attr = path.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def enqueue(
    fn: Callable[..., Any] | str,
    *args: Any,
    user_id: int | None = None,
    household_id: int | None = None,
    name: str | None = None,
    description: str = "",
    queue: str = "default",
    inline: bool = False,
    **kwargs: Any,
) -> Job:
    """Record and start a job. Arguments must be JSON-serializable ids and primitives.

    `household_id` is the household whose data it works on: its members see its page.
    `inline=True` runs it in this process even when Redis is configured (scheduled work that is
    already inside a worker).
    """
    path = dotted_path(fn)
    job = Job(
        id=str(uuid.uuid4()),
        user_id=user_id,
        household_id=household_id,
        name=name or path.rsplit(".", 1)[-1],
        description=description,
        function=path,
        args=list(args),
        kwargs=kwargs,
        status=QUEUED,
    )
    db.session.add(job)
    db.session.commit()  # the row exists before any worker can pick the job up
    rq_queue = None if inline else get_queue(queue)
    if rq_queue is None:
        run_job(job.id)
        db.session.refresh(job)
    else:
        rq_queue.enqueue(
            "finance_app.jobs.run_job", job.id, job_id=job.id, result_ttl=86400, failure_ttl=604800
        )
    return job


def run_job(job_id: str) -> Any:
    """Run a recorded job: the single wrapper that records status, progress, result and errors."""
    global _engine_pid
    if os.getpid() != _engine_pid:
        # An RQ work horse is a fork: never share the parent's pooled database connections.
        db.engine.dispose(close=False)
        _engine_pid = os.getpid()
    job = db.session.get(Job, job_id)
    if job is None:
        log.error("job %s has no row; skipped", job_id)
        return None
    job.status, job.started_at, job.progress = RUNNING, utcnow(), 0
    db.session.commit()
    token = _current_job_id.set(job_id)
    try:
        result = resolve(job.function)(*job.args, **job.kwargs)
    except Exception as exc:  # the job's failure is data for the UI, not a crash of the caller
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.function)
        job = db.session.get(Job, job_id)
        assert job is not None
        job.status, job.ended_at = FAILED, utcnow()
        job.error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
        job.message = getattr(exc, "user_message", None) or "Something went wrong."
        db.session.commit()
        if get_current_rq_job() is not None:
            raise
        return None
    finally:
        _current_job_id.reset(token)
        _inline_progress.pop(job_id, None)
    job = db.session.get(Job, job_id)
    assert job is not None
    job.status, job.ended_at, job.progress = FINISHED, utcnow(), 100
    job.result = result if isinstance(result, dict) else None
    if not job.message or job.message.startswith("Working"):
        job.message = "Done."
    db.session.commit()
    return result


def report_progress(percent: int, message: str = "") -> None:
    """Called from inside a job's work; harmless (and silent) outside a job."""
    percent = max(0, min(100, int(percent)))
    rq_job = get_current_rq_job()
    if rq_job is not None:
        rq_job.meta["progress"] = percent
        rq_job.meta["message"] = message
        rq_job.save_meta()
        return
    job_id = _current_job_id.get()
    if job_id is not None:
        _inline_progress[job_id] = (percent, message)


def get_progress(job: Job) -> tuple[int, str]:
    """The freshest (percent, message) for a job: live from Redis while it runs under RQ."""
    if job.status == RUNNING:
        queue = get_queue()
        if queue is not None:
            from rq.job import Job as RQJob
            from rq.job import JobStatus

            try:
                rq_job = RQJob.fetch(job.id, connection=queue.connection)
            except Exception:  # expired or never enqueued: fall back to the row
                return job.progress, job.message
            if rq_job.get_status() in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                # The work horse died without reaching run_job's own error handling (killed,
                # out of memory): record it, so pages stop polling a job that will never end.
                mark_abandoned(job)
                return job.progress, job.message
            return int(rq_job.meta.get("progress", 0)), str(rq_job.meta.get("message", ""))
        return _inline_progress.get(job.id, (job.progress, job.message))
    return job.progress, job.message


def mark_abandoned(job: Job) -> None:
    job.status, job.ended_at = FAILED, utcnow()
    job.message = "The job stopped unexpectedly. Please try again."
    job.error = job.error or "worker died"
    db.session.commit()
