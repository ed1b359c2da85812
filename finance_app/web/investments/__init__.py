"""Investments: holdings, lots, realized gains, value over time, returns, trades and prices."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("investments", __name__, url_prefix="/investments")

from finance_app.web.investments import routes
