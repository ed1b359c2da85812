"""Budgets: progress per category or group, rollover, copy last period, suggestions, report."""

from flask import Blueprint

bp = Blueprint("budgets", __name__, url_prefix="/budgets")

from finance_app.web.budgets import routes
