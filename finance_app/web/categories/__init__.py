"""The category tree: add, rename, recolour, move, merge and delete categories."""

from flask import Blueprint

bp = Blueprint("categories", __name__, url_prefix="/categories")

from finance_app.web.categories import routes
