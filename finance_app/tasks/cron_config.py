"""Configuration module for RQ's cron scheduler: `rq cron finance_app.tasks.cron_config`."""

from __future__ import annotations

from finance_app.tasks.periodic import register_all

register_all()
