"""Budgets: progress per category or group, rollover, copy last period, suggestions, report."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("budgets", __name__, url_prefix="/budgets")

from finance_app.web.budgets import routes
