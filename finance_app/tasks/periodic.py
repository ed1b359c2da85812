"""Periodic jobs, declared in one place and registered with RQ's cron scheduler.

Run by the `scheduler` process of the Procfile: `rq cron finance_app.tasks.periodic`.
Each entry enqueues a function of this module; features add their own entries here.
"""

from __future__ import annotations

from datetime import timedelta

from rq import cron

from finance_app.db import utcnow
from finance_app.queues import BACKGROUND, SYNC, queue_for


def purge_expired_sessions() -> dict:
    """Delete login sessions revoked or idle for more than 30 days; keeps the table small."""
    from sqlalchemy import delete, or_

    from finance_app.extensions import db
    from finance_app.models.user import UserSession

    cutoff = utcnow() - timedelta(days=30)
    result = db.session.execute(
        delete(UserSession).where(
            or_(UserSession.revoked_at < cutoff, UserSession.last_seen_at < cutoff)
        )
    )
    db.session.commit()
    return {"deleted": int(result.rowcount or 0)}  # type: ignore[attr-defined]


def fail_dead_jobs() -> dict:
    """Every minute: jobs whose worker died (killed mid-job) are marked failed, with the records
    they drive (an import batch), instead of "running" for ever."""
    from finance_app.jobs import fail_dead_jobs as sweep

    return sweep()


# name -> (function, cron expression); features append their periodic work here.
SCHEDULE: dict[str, tuple[str, str]] = {
    "fail_dead_jobs": ("finance_app.tasks.periodic.fail_dead_jobs", "* * * * *"),
    "purge_expired_sessions": ("finance_app.tasks.periodic.purge_expired_sessions", "15 3 * * *"),
    "purge_abandoned_uploads": ("finance_app.tasks.imports.purge_abandoned_uploads", "40 * * * *"),
    "purge_expired_data_exports": (
        "finance_app.tasks.data_export.purge_expired_archives", "50 * * * *"
    ),
    "retrain_stale_categorizers": (
        "finance_app.tasks.categorization.retrain_stale_models", "*/10 * * * *"
    ),
    "budget_alerts_nightly": ("finance_app.tasks.budget_alerts.check_all_budget_alerts",
        "5 4 * * *"),
    "badges_nightly": ("finance_app.tasks.badges.evaluate_all_badges", "20 4 * * *"),
    "goal_milestones_nightly": ("finance_app.tasks.goals.evaluate_all_milestones", "10 4 * * *"),
    "insights_weekly": ("finance_app.tasks.insights.refresh_all_insights", "40 4 * * 1"),
    "recurring_nightly": ("finance_app.tasks.recurring.detect_all_recurring", "35 4 * * *"),
    "webhook_retries": ("finance_app.tasks.webhooks.retry_due_webhooks", "* * * * *"),
    # Members pick a weekday and hour in their own time zone; every 15 minutes finds who is due.
    "weekly_summary_email": (
        "finance_app.tasks.weekly_summary.send_weekly_summaries", "*/15 * * * *"
    ),
    "purge_expired_report_files": (
        "finance_app.tasks.reports.purge_expired_report_files", "50 3 * * *"
    ),
    # Bank sync: every Item daily; retries of rate-limited runs; runs stuck for an hour -> stale.
    "bank_sync_daily": ("finance_app.tasks.bank_sync.sync_all_items", "0 5 * * *"),
    "bank_sync_retries": ("finance_app.tasks.bank_sync.retry_due_syncs", "*/5 * * * *"),
    "bank_sync_stale_runs": ("finance_app.tasks.bank_sync.mark_stale_sync_runs", "*/10 * * * *"),
    "retrain_categorizers_nightly": (
        "finance_app.tasks.categorization.retrain_all_models", "30 2 * * *"
    ),
}


def register_all() -> None:
    for path, expression in SCHEDULE.values():
        # No one waits for scheduled work: never on `interactive`, even a sweep of imports.
        queue = SYNC if queue_for(path) == SYNC else BACKGROUND
        cron.register(run_scheduled, queue_name=queue, args=(path,), cron=expression)


def run_scheduled(path: str) -> object:
    """What the cron scheduler enqueues: record a Job row for the work and run it in this worker."""
    from finance_app.jobs import enqueue

    return enqueue(path, name=path.rsplit(".", 1)[-1], inline=True).result
