"""Forecasts: this month's and next month's spending, per category and in total."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("forecasts", __name__, url_prefix="/forecasts")

from finance_app.web.forecasts import routes
