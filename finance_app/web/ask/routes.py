"""Routes of the ask blueprint: one GET URL, the full page or (for HTMX) the answer alone."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request, url_for
from flask_login import current_user

from finance_app.extensions import db
from finance_app.services.ask.answer import Pairs, ask
from finance_app.services.ask.parser import MAX_LENGTH
from finance_app.web.ask import bp
from finance_app.web.htmx import render
from finance_app.web.ledger_cache import today
from finance_app.web.scope import current_scope


def transactions_url(pairs: Pairs) -> str:
    return url_for("transactions.index") + (f"?{urlencode(pairs)}" if pairs else "")


@bp.get("/")
def index() -> str:
    question = " ".join(request.args.get("q", "").split())[:MAX_LENGTH]
    answer = (ask(db.session, current_scope(), current_user.base_currency, today(), question)
              if question else None)
    return render("ask/index.html", "ask_answer", question=question, answer=answer,
                  transactions_url=transactions_url)
