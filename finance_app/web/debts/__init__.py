"""Debts and the payoff planner."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("debts", __name__, url_prefix="/debts")

from finance_app.web.debts import routes
