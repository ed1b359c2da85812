"""RQ worker with the Flask app context: `python worker.py [queue ...]`.

Jobs are recorded and run through finance_app.jobs.run_job. Periodic jobs are enqueued by RQ's
own cron scheduler (`rq cron finance_app.tasks.cron_config`, the `scheduler` process).
While a job runs, this process refreshes its heartbeat every JOB_HEARTBEAT_SECONDS; a job whose
heartbeat stops (the worker was killed) is marked failed within a minute (finance_app.jobs).
"""

from __future__ import annotations

import sys

from rq import Worker

from finance_app import create_app
from finance_app.jobs import redis_connection


def main(queues: list[str]) -> None:
    app = create_app()
    with app.app_context():
        connection = redis_connection()
        if connection is None:
            sys.exit("REDIS_URL is not set: without Redis, jobs run in the web process.")
        worker = Worker(queues or app.config["RQ_QUEUES"], connection=connection,
                        job_monitoring_interval=app.config["JOB_HEARTBEAT_SECONDS"])
        worker.work(with_scheduler=True)


if __name__ == "__main__":
    main(sys.argv[1:])
