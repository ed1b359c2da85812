"""Alerts to each member: one module per kind that says what should be told today (each
occurrence with a stable key), a registry of those kinds, the member's channels and thresholds,
and recording each alert once (in-app, then email, SMS and webhooks by the jobs)."""
