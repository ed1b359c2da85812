"""Routes of the forecasts blueprint: one page, read only."""

from __future__ import annotations

from flask_login import current_user

from finance_app.extensions import db
from finance_app.services.forecasts.cash import HORIZONS, forecast_cash
from finance_app.services.forecasts.spending import forecast_spending
from finance_app.web.forecasts import bp
from finance_app.web.htmx import render
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.scope import current_scope


@bp.get("/")
def index() -> str:
    currency = current_user.base_currency or "USD"
    scope, day, cache = current_scope(), today(), ledger_cache()
    forecast = forecast_spending(db.session, scope, currency, day, cache=cache)
    cash = forecast_cash(db.session, scope, currency, day, cache=cache)
    return render("forecasts/index.html", None, forecast=forecast, cash=cash,
                  horizons=HORIZONS, currency=currency)
