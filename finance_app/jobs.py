"""The job layer every feature uses: enqueue on RQ when Redis is configured, else run in-process.

`enqueue()` records a `Job` row, commits it, then hands the job to RQ (or runs it at once). The
function runs inside `run_job()`, which records status, result and error on that row. Work
reports its progress with `report_progress(percent, message)`; a page polls the row (and, under
RQ, the job's meta in Redis, which is where live progress lives so that a job's own open database
transaction never blocks its progress reports).

When Redis cannot take a job, `enqueue()` marks the row failed and raises `JobNotStarted`, so a
caller never leaves a record waiting for work that will not come (jobs marked
`@inline_when_queue_down`, small and urgent like account emails, run in this process instead).

Work whose worker died (killed, out of memory) is noticed from RQ's own records: the job's
execution in the started-job registry stops being refreshed by the worker's heartbeat. The
polling page (`get_progress`) and a sweep every minute (`fail_dead_jobs`) mark such a job failed,
together with the record it drives: a feature registers, per job function, what fails that record
(`@when_abandoned(run_import)` fails the import batch).
"""

from __future__ import annotations

import contextvars
import importlib
import logging
import os
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq import get_current_job as get_current_rq_job
from sqlalchemy import func, select, update

from finance_app.db import DbSession, utcnow
from finance_app.extensions import db
from finance_app.models.job import FAILED, FINISHED, QUEUED, RUNNING, Job
from finance_app.queues import BACKGROUND, queue_for
from finance_app.services.errors import DomainError

log = logging.getLogger(__name__)

_current_job_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_job_id", default=None
)
_inline_progress: dict[str, tuple[int, str]] = {}
_engine_pid = os.getpid()

F = TypeVar("F", bound=Callable[..., Any])
# What fails the record a job drives (an import batch, later a sync run or a report) when the
# job's worker died: job function path -> handler(session, job). Registered by the module that
# defines the job function, so resolving the job's function registers its handler.
AbandonHandler = Callable[[DbSession, Job], None]
_abandon_handlers: dict[str, AbandonHandler] = {}

ABANDONED_MESSAGE = "The job stopped before it finished. Please try again."
NOT_STARTED_MESSAGE = "Could not be started: the job queue is unreachable."
# A queued row is given this long to reach RQ (enqueue commits the row, then hands it over).
QUEUED_GRACE = timedelta(seconds=60)
# Heartbeats missed before a started job counts as dead, plus a few seconds of slack.
MISSED_HEARTBEATS, HEARTBEAT_SLACK = 3, 5.0
# RQ adds this to the worker's job monitoring interval for the started-registry entry's expiry.
RQ_HEARTBEAT_TTL_EXTRA = 60
_INLINE_KEY = "finance_app:inline-job:{}"


class JobNotStarted(DomainError):
    """The work could not be started; try again in a moment."""


def inline_when_queue_down(fn: F) -> F:
    """Mark a job as small and urgent enough to run in the caller's process when Redis cannot
    take it (an account email): the person's request still does what it promised."""
    fn._inline_when_queue_down = True  # type: ignore[attr-defined]
    return fn


def when_abandoned(job_fn: Callable[..., Any] | str) -> Callable[[AbandonHandler], AbandonHandler]:
    """Register what fails the record that jobs running `job_fn` drive, when their worker died.

    The handler gets the session and the Job row (already marked failed) and changes the record
    in the same transaction; it must leave alone a record a newer job has taken over.
    """
    path = dotted_path(job_fn)

    def register(handler: AbandonHandler) -> AbandonHandler:
        _abandon_handlers[path] = handler
        return handler

    return register


def redis_connection() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    ext = current_app.extensions.setdefault("finance_redis", {})
    if url not in ext:
        # A Redis host that does not answer must not hang a request for minutes.
        ext[url] = Redis.from_url(url, socket_connect_timeout=3)
    return ext[url]


def get_queue(name: str = BACKGROUND) -> Queue | None:
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
    queue: str | None = None,
    inline: bool = False,
    **kwargs: Any,
) -> Job:
    """Record and start a job. Arguments must be JSON-serializable ids and primitives.

    `household_id` is the household whose data it works on: its members see its page.
    `queue` defaults to the function's own (finance_app.queues). `inline=True` runs it in this
    process even when Redis is configured (scheduled work that is already inside a worker).

    Raises JobNotStarted (the row marked failed) when Redis is configured but cannot take the
    job, unless the function is marked `@inline_when_queue_down`.
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
    rq_queue = None if inline else get_queue(queue or queue_for(path))
    if rq_queue is None:
        run_job(job.id)
        db.session.refresh(job)
    else:
        try:
            rq_queue.enqueue(
                "finance_app.jobs.run_job", job.id, job_id=job.id, result_ttl=86400,
                failure_ttl=604800,
            )
        except (RedisError, OSError) as exc:
            _not_started(job, path, exc)
    return job


def _not_started(job: Job, path: str, exc: Exception) -> None:
    """Redis refused the job: run it here if it may, else record why and raise JobNotStarted."""
    db.session.rollback()
    if getattr(resolve(path), "_inline_when_queue_down", False):
        log.warning("job queue unreachable (%s); running %s in this process", exc, path)
        run_job(job.id)
        db.session.refresh(job)
        return
    log.warning("job queue unreachable (%s); %s (job %s) not started", exc, path, job.id)
    row = db.session.get(Job, job.id)
    if row is not None:
        row.status, row.ended_at, row.message = FAILED, utcnow(), NOT_STARTED_MESSAGE
        row.error = f"enqueue failed: {type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
    raise JobNotStarted() from exc


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
    inline_key = _mark_inline(job_id)
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
        _unmark_inline(inline_key)
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


def _mark_inline(job_id: str) -> str | None:
    """A job run in-process while Redis is configured has no RQ job of its own: note, for the
    dead-work checks, which RQ job (if any) it runs inside, so they follow that one's heartbeat."""
    connection = redis_connection()
    rq_job = get_current_rq_job()
    if connection is None or (rq_job is not None and rq_job.id == job_id):
        return None
    key = _INLINE_KEY.format(job_id)
    try:
        connection.set(key, rq_job.id if rq_job is not None else "", ex=86400)
    except RedisError:
        return None  # Redis down: the checks cannot run either
    return key


def _unmark_inline(key: str | None) -> None:
    connection = redis_connection()
    if key is None or connection is None:
        return
    try:
        connection.delete(key)
    except RedisError:
        log.warning("could not remove %s", key)


def get_progress(job: Job) -> tuple[int, str]:
    """The freshest (percent, message) for a job: live from Redis while it runs under RQ.

    A job whose worker died is marked failed here (with the record it drives), so the page that
    polls it stops and says so.
    """
    if job.status not in (QUEUED, RUNNING):
        return job.progress, job.message
    connection = redis_connection()
    if connection is None:
        return _inline_progress.get(job.id, (job.progress, job.message))
    from rq.job import Job as RQJob

    try:
        reason = find_dead_reason(connection, job)
    except RedisError:  # Redis unreachable: that says nothing about the worker
        return job.progress, job.message
    if reason is not None:
        mark_abandoned(job, reason)
        return job.progress, job.message
    if job.status != RUNNING:
        return job.progress, job.message
    try:
        meta = RQJob.fetch(job.id, connection=connection).meta
    except Exception:  # no RQ job of its own (run inline inside another), or Redis gone
        return _inline_progress.get(job.id, (job.progress, job.message))
    return int(meta.get("progress", job.progress)), str(meta.get("message", job.message))


def find_dead_reason(connection: Redis, job: Job) -> str | None:
    """Why a queued or running job will never end (its worker died), or None if it may still.

    Only RQ's own records count: the RQ job gone, failed or stopped while the row still runs; or
    started but its execution's heartbeat lapsed — its entry in the started-job registry expired
    (what RQ's own cleanup calls abandoned, ~10 minutes later) or no heartbeat for three of the
    worker's monitoring intervals. The interval is read from the entry itself (RQ sets it to
    last heartbeat + interval + 60 s), so any worker configuration is judged by its own pace.
    """
    if job.status == QUEUED and job.created_at > utcnow() - QUEUED_GRACE:
        return None  # enqueue() commits the row before handing it to RQ
    rq_id = job.id
    inline: Any = connection.get(_INLINE_KEY.format(job.id))
    if inline is not None:
        rq_id = inline.decode() if isinstance(inline, bytes) else str(inline)
        if not rq_id:
            return None  # run in a process without an RQ job (a CLI command): no heartbeat
    return _rq_dead_reason(connection, rq_id)


def _rq_dead_reason(connection: Redis, rq_id: str) -> str | None:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RQJob
    from rq.job import JobStatus
    from rq.registry import StartedJobRegistry

    try:
        rq_job = RQJob.fetch(rq_id, connection=connection)
    except NoSuchJobError:
        return f"RQ job {rq_id} no longer exists"
    status = rq_job.get_status(refresh=False)
    if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED, JobStatus.FINISHED):
        # The row is not done, so run_job never reached its own bookkeeping.
        return f"RQ job {rq_id} is {status.value} but its work never ended"
    if status != JobStatus.STARTED:
        return None  # waiting in the queue (or deferred): no worker has it yet
    registry = StartedJobRegistry(rq_job.origin, connection=connection)
    # Entries are "<job id>:<execution id>", scored with the time they expire unless refreshed.
    entries: Any = connection.zrange(registry.key, 0, -1, withscores=True)
    prefix = f"{rq_id}:"
    expiries = [float(score) for entry, score in entries
                if (entry.decode() if isinstance(entry, bytes) else str(entry)).startswith(prefix)]
    now = time.time()
    heartbeat = rq_job.last_heartbeat.timestamp() if rq_job.last_heartbeat else None
    if not expiries:
        if heartbeat is not None and now - heartbeat < 2 * RQ_HEARTBEAT_TTL_EXTRA:
            return None  # between RQ's own steps
        return f"RQ job {rq_id} is started but has no execution in the started-job registry"
    expiry = max(expiries)
    if expiry < now:
        return f"RQ job {rq_id}: its started-job registry entry expired (no heartbeat)"
    if heartbeat is not None:
        # The expiry is whole seconds (RQ truncates the time): the interval is up to 1 s more.
        interval = min(max(expiry + 1 - heartbeat - RQ_HEARTBEAT_TTL_EXTRA, 1.0), 600.0)
        silent = now - heartbeat
        if silent > MISSED_HEARTBEATS * interval + HEARTBEAT_SLACK:
            return f"RQ job {rq_id}: no heartbeat for {silent:.0f} s (every {interval:.0f} s)"
    return None


def mark_abandoned(job: Job, reason: str = "worker died") -> bool:
    """Fail a job whose worker died, and the record it drives, in one transaction.

    False if the job had ended (or another process marked it) in the meantime.
    """
    claimed = db.session.execute(
        update(Job).where(Job.id == job.id, Job.status.in_((QUEUED, RUNNING)))
        .values(status=FAILED, ended_at=utcnow(), message=ABANDONED_MESSAGE,
                error=func.coalesce(Job.error, f"abandoned: {reason}"[:2000]))
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        db.session.rollback()
        db.session.refresh(job)
        return False
    db.session.refresh(job)
    log.warning("job %s (%s) abandoned: %s", job.id, job.function, reason)
    handler = _abandon_handler(job.function)
    if handler is not None:
        handler(db.session, job)
    db.session.commit()
    return True


def _abandon_handler(path: str) -> AbandonHandler | None:
    if path not in _abandon_handlers:
        try:
            resolve(path)  # importing the job's module registers its handler
        except (ImportError, AttributeError):
            return None
    return _abandon_handlers.get(path)


def fail_dead_jobs() -> dict[str, int]:
    """The sweep: mark failed every queued or running job whose worker died (see
    find_dead_reason), with the records they drive. Harmless to run at any time."""
    connection = redis_connection()
    if connection is None:
        return {"checked": 0, "failed": 0}
    current = _current_job_id.get()
    ids = list(db.session.scalars(
        select(Job.id).where(Job.status.in_((QUEUED, RUNNING))).order_by(Job.created_at)))
    failed = 0
    for job_id in ids:
        job = db.session.get(Job, job_id)
        if job is None or job.id == current or job.status not in (QUEUED, RUNNING):
            continue
        reason = find_dead_reason(connection, job)
        if reason is not None and mark_abandoned(job, reason):
            failed += 1
    return {"checked": len(ids), "failed": failed}
