"""The home page and the health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from finance_app.web.main import routes
