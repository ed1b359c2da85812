"""The review queue: accept the categorizer's suggestions one by one, by key, or in bulk."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("review", __name__, url_prefix="/review")

from finance_app.web.review import routes
