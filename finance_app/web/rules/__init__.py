"""Rules: conditions on description, merchant, amount and account -> category, tags, merchant."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("rules", __name__, url_prefix="/rules")

from finance_app.web.rules import routes
