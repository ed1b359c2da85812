"""The financial health score page: the score, its parts and its history by month."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("health_score", __name__, url_prefix="/health-score")

from finance_app.web.health_score import routes
