"""Rules: conditions on description, merchant, amount and account -> category, tags, merchant."""

from flask import Blueprint

bp = Blueprint("rules", __name__, url_prefix="/rules")

from finance_app.web.rules import routes
