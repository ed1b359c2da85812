"""Routes of the health score blueprint: one read-only page."""

from __future__ import annotations

from flask_login import current_user

from finance_app.extensions import db
from finance_app.services.health_score.figures import monthly_scores
from finance_app.web.health_score import bp
from finance_app.web.htmx import render
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.scope import current_scope


@bp.get("/")
def index() -> str:
    currency = current_user.base_currency or "USD"
    history = monthly_scores(db.session, current_scope(), currency, today(),
                             cache=ledger_cache())
    return render("health_score/index.html", None, history=history, latest=history[-1],
                  currency=currency)
