"""The import wizard: upload a bank export, check its preview, run it, review and undo it."""

from flask import Blueprint

bp = Blueprint("upload", __name__, url_prefix="/import")

from finance_app.web.upload import routes
