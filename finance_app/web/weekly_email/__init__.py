"""The weekly summary email's public unsubscribe link (no sign-in: the signed link is the key)."""

from flask import Blueprint

bp = Blueprint("weekly_email", __name__, url_prefix="/email/weekly")

from finance_app.web.weekly_email import routes
