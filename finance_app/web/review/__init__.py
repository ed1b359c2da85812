"""The review queue: accept the categorizer's suggestions one by one, by key, or in bulk."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from finance_app.web.review import routes
