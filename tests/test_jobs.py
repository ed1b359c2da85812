"""The job layer: inline without Redis, through RQ and a real worker with Redis; progress and
failures recorded on the Job row and shown by the polling page."""

from __future__ import annotations

import pytest
from rq import SimpleWorker

from finance_app.extensions import db
from finance_app.jobs import (
    enqueue,
    get_progress,
    get_queue,
    inline_when_queue_down,
    report_progress,
)
from finance_app.models.job import Job
from finance_app.queues import ALL_QUEUES, BACKGROUND, INTERACTIVE, LEGACY, SYNC
from tests.factories import household_of


def add_numbers(a: int, b: int) -> dict:
    report_progress(50, "Halfway there")
    return {"sum": a + b}


@inline_when_queue_down
def add_numbers_urgently(a: int, b: int) -> dict:
    return {"sum": a + b}


def explode() -> None:
    error = RuntimeError("disk on fire")
    error.user_message = "The import failed: the file is unreadable."  # type: ignore[attr-defined]
    raise error


def test_inline_job_runs_at_once_and_records_its_result(ctx):
    job = enqueue(add_numbers, 2, 3, name="adder")
    row = db.session.get(Job, job.id)
    assert (row.status, row.progress, row.result) == ("finished", 100, {"sum": 5})
    assert row.function == "tests.test_jobs.add_numbers"
    assert row.started_at and row.ended_at


def test_inline_job_failure_is_recorded_not_raised(ctx):
    job = enqueue(explode)
    row = db.session.get(Job, job.id)
    assert row.status == "failed"
    assert "disk on fire" in row.error
    assert row.message == "The import failed: the file is unreadable."


def test_report_progress_outside_a_job_is_harmless(ctx):
    report_progress(10, "nothing to report to")


class TestWithRedis:
    @pytest.fixture()
    def app_config(self, app_config, redis_url):
        return {**app_config, "REDIS_URL": redis_url}

    def test_job_is_queued_then_run_by_a_real_worker(self, ctx):
        job = enqueue(add_numbers, 20, 22)
        assert db.session.get(Job, job.id).status == "queued"
        queue = get_queue()
        assert queue.count == 1
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        db.session.expire_all()
        row = db.session.get(Job, job.id)
        assert (row.status, row.result) == ("finished", {"sum": 42})

    def test_each_job_waits_on_its_own_queue(self, ctx):
        """An import (someone watching) is on `interactive`, a bank sync on `sync`, the rest on
        `background`; a worker started without names serves them in that order."""
        enqueue("finance_app.tasks.imports.run_import", 0)
        enqueue("finance_app.tasks.bank_sync.sync_item_job", 0)
        enqueue("finance_app.tasks.insights.refresh_insights_job", 0)
        enqueue(add_numbers, 1, 2)
        counts = {name: get_queue(name).count for name in ALL_QUEUES}
        assert counts == {INTERACTIVE: 1, SYNC: 1, BACKGROUND: 2, LEGACY: 0}
        assert ctx.config["RQ_QUEUES"] == [INTERACTIVE, SYNC, BACKGROUND, LEGACY]

    def test_failed_job_under_rq_is_recorded(self, ctx):
        job = enqueue(explode)
        queue = get_queue()
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        db.session.expire_all()
        row = db.session.get(Job, job.id)
        assert row.status == "failed" and "disk on fire" in row.error

    def test_live_progress_comes_from_redis_while_running(self, ctx):
        from rq.job import Job as RQJob

        job = enqueue(add_numbers, 1, 1)
        row = db.session.get(Job, job.id)
        row.status = "running"
        rq_job = RQJob.fetch(job.id, connection=get_queue().connection)
        rq_job.meta.update(progress=37, message="Importing rows")
        rq_job.save_meta()
        assert get_progress(row) == (37, "Importing rows")


RUNNING_ID = "11111111-1111-1111-1111-111111111111"
DONE_ID = "22222222-2222-2222-2222-222222222222"


def test_progress_page_polls_until_done_and_is_private(app, auth, client, user_id):
    with app.app_context():
        household = household_of(user_id)
        running = Job(id=RUNNING_ID, user_id=user_id, household_id=household, name="import",
                      function="x.y", status="running", progress=30, message="Reading")
        done = Job(id=DONE_ID, user_id=user_id, household_id=household, name="import",
                   function="x.y", status="finished", progress=100, message="Done.")
        db.session.add_all([running, done])
        db.session.commit()
    running_id, done_id = RUNNING_ID, DONE_ID
    fragment = client.get(f"/jobs/{running_id}", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="job-progress"')
    assert 'hx-trigger="load delay:500ms"' in html and 'value="30"' in html
    finished = client.get(f"/jobs/{done_id}").get_data(as_text=True)
    assert "hx-trigger" not in finished and "<html" in finished

    auth.logout()
    auth.create("eve@example.com")
    auth.login("eve@example.com")
    assert client.get(f"/jobs/{running_id}").status_code == 404


class TestAbandonedJobs:
    @pytest.fixture()
    def app_config(self, app_config, redis_url):
        return {**app_config, "REDIS_URL": redis_url}

    def test_a_job_whose_worker_died_is_marked_failed_when_polled(self, ctx):
        from rq.job import Job as RQJob
        from rq.job import JobStatus

        job = enqueue(add_numbers, 1, 2)
        row = db.session.get(Job, job.id)
        row.status = "running"
        db.session.commit()
        rq_job = RQJob.fetch(job.id, connection=get_queue().connection)
        rq_job.set_status(JobStatus.FAILED)
        progress = get_progress(row)
        assert db.session.get(Job, job.id).status == "failed"
        assert progress[1] == "The job stopped before it finished. Please try again."


class TestRedisDown:
    """Redis configured, nothing listening: no job is left waiting for a queue it never reached."""

    @pytest.fixture()
    def app_config(self, app_config):
        from tests.conftest import free_port

        return {**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}

    def test_enqueue_raises_job_not_started_and_fails_the_row(self, ctx):
        from finance_app.jobs import JobNotStarted

        with pytest.raises(JobNotStarted, match="could not be started; try again in a moment"):
            enqueue(add_numbers, 1, 2, name="adder")
        row = db.session.query(Job).filter_by(name="adder").one()
        assert row.status == "failed" and row.ended_at is not None
        assert row.error.startswith("enqueue failed: ConnectionError")

    def test_a_job_marked_inline_when_queue_down_runs_here_instead(self, ctx):
        job = enqueue(add_numbers_urgently, 40, 2)
        assert (db.session.get(Job, job.id).status, job.result) == ("finished", {"sum": 42})

    def test_polling_while_redis_is_down_does_not_fail_the_job(self, ctx):
        row = Job(id=RUNNING_ID, name="import", function="x.y", status="running", progress=30,
                  message="Reading")
        db.session.add(row)
        db.session.commit()
        assert get_progress(row) == (30, "Reading")
        assert db.session.get(Job, RUNNING_ID).status == "running"


stopped_records: list[str] = []


@pytest.fixture()
def stop_recorder():
    from finance_app.jobs import when_abandoned

    stopped_records.clear()
    when_abandoned(add_numbers)(lambda session, job: stopped_records.append(job.id))
    yield stopped_records
    from finance_app import jobs

    jobs._abandon_handlers.pop("tests.test_jobs.add_numbers", None)


class TestDeadWork:
    @pytest.fixture()
    def app_config(self, app_config, redis_url):
        return {**app_config, "REDIS_URL": redis_url}

    def _running(self, job_id: str) -> Job:
        row = db.session.get(Job, job_id)
        row.status = "running"
        db.session.commit()
        return row

    def test_a_queued_or_fresh_job_is_alive(self, ctx):
        from finance_app.jobs import find_dead_reason, redis_connection

        job = enqueue(add_numbers, 1, 2)
        assert find_dead_reason(redis_connection(), job) is None  # queued, waiting for a worker
        assert find_dead_reason(redis_connection(), self._running(job.id)) is None

    def test_a_running_job_whose_rq_job_is_gone_is_failed_with_its_record(
            self, ctx, stop_recorder):
        from rq.job import Job as RQJob

        from finance_app.jobs import fail_dead_jobs

        job = enqueue(add_numbers, 1, 2)
        self._running(job.id)
        RQJob.fetch(job.id, connection=get_queue().connection).delete()
        assert fail_dead_jobs() == {"checked": 1, "failed": 1}
        row = db.session.get(Job, job.id)
        assert row.status == "failed" and "no longer exists" in row.error
        assert stop_recorder == [job.id]  # the registered handler failed its record
        assert fail_dead_jobs() == {"checked": 0, "failed": 0}  # harmless to run again

    def test_an_inline_job_outside_any_rq_job_is_left_alone(self, ctx):
        from finance_app import jobs

        job = jobs.enqueue(add_numbers, 1, 2, inline=True)  # finished, and its marker removed
        connection = jobs.redis_connection()
        assert connection.get(jobs._INLINE_KEY.format(job.id)) is None
        row = Job(id=RUNNING_ID, name="cli import", function="x.y", status="running")
        db.session.add(row)
        db.session.commit()
        connection.set(jobs._INLINE_KEY.format(RUNNING_ID), "")  # run by a CLI command
        assert jobs.find_dead_reason(connection, row) is None
        connection.set(jobs._INLINE_KEY.format(RUNNING_ID), "gone-rq-job")  # inside a dead one
        assert "no longer exists" in jobs.find_dead_reason(connection, row)


def test_scheduled_work_runs_on_background_or_sync_never_interactive(monkeypatch):
    from finance_app.tasks import periodic

    registered: dict[str, str] = {}
    monkeypatch.setattr(periodic.cron, "register",
                        lambda fn, queue_name, args, cron: registered.update({args[0]: queue_name}))
    periodic.register_all()
    assert len(registered) == len(periodic.SCHEDULE)
    assert registered["finance_app.tasks.bank_sync.sync_all_items"] == SYNC
    assert registered["finance_app.tasks.imports.purge_abandoned_uploads"] == BACKGROUND
    assert INTERACTIVE not in registered.values()
