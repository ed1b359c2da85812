"""The import wizard: upload a bank export, check its preview, run it, review and undo it."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("upload", __name__, url_prefix="/import")

from finance_app.web.upload import routes
