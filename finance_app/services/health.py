"""Health of the database and Redis, for load balancers and the PaaS."""

from __future__ import annotations

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
            report["redis"], report["status"] = f"error: {type(exc).__name__}", "error"
    return report
