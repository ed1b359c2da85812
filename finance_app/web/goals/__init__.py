"""Savings goals: progress, projections, what-if, recommendations and milestones."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("goals", __name__, url_prefix="/goals")

from finance_app.web.goals import celebration, routes
