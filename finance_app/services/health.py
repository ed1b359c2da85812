"""Health of the database and Redis, for load balancers and the PaaS.

`status` is "ok"; "degraded" while Redis is unreachable (pages still work, rate limits are counted
in each process's memory, no background job can start); "error" when the database fails.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from finance_app.extensions import db
from finance_app.jobs import redis_connection


def check_health() -> dict:
    report: dict = {"status": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # a health check reports, it never raises
        db.session.rollback()
        report["database"], report["status"] = f"error: {type(exc).__name__}", "error"
    connection = redis_connection()
    if connection is None:
        report["redis"] = "disabled"
    else:
        try:
            connection.ping()
            report["redis"] = "ok"
        except Exception as exc:
            report["redis"], report["redis_error"] = "unreachable", type(exc).__name__
            report["jobs"] = "cannot start"
            if str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
                report["rate_limits"] = "in memory"
            if report["status"] == "ok":
                report["status"] = "degraded"
    return report
