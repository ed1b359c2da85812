"""The category tree: add, rename, recolour, move, merge and delete categories."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("categories", __name__, url_prefix="/categories")

from finance_app.web.categories import routes
