"""Routes of the dashboard blueprint: one URL, the full page or one widget (`?widget=`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from finance_app.extensions import db
from finance_app.services import dashboard
from finance_app.services.accounts import list_accounts
from finance_app.services.ledger.periods import GRANULARITIES, MONTH, PRESETS
from finance_app.services.transactions.choices import member_options
from finance_app.web.dashboard import bp
from finance_app.web.dashboard.forms import FilterForm
from finance_app.web.htmx import is_htmx, render
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.scope import current_scope

# ?widget= values and the template block each renders.
PARTIALS = {
    "summary": "summary", "cashflow": "cashflow", "categories": "categories",
    "category_transactions": "category_transactions", "merchants": "merchants",
    "trends": "trends", "balances": "balances", "budgets": "budgets",
}
# Query parameters that belong to the filters (kept by every link the page builds).
FILTER_KEYS = ("range", "start", "end", "account", "member", "granularity", "category")


def page_url(args: MultiDict, **changes: Any) -> str:
    """This page's URL with the current filters and `changes` (None removes a parameter)."""
    pairs = [(k, v) for k in FILTER_KEYS if k not in changes for v in args.getlist(k) if v]
    pairs += [(k, v) for k, v in changes.items() if v is not None]
    query = urlencode(pairs)
    return url_for("dashboard.index") + (f"?{query}" if query else "")



@bp.get("/")
def index() -> Any:
    accounts = list_accounts(db.session, current_scope(), include_archived=True)
    form = FilterForm(request.args)
    form.account.choices = [(a.id, a.name) for a in accounts]
    form.member.choices = [("", "Everyone's"),
                           *member_options(db.session, current_scope())]
    form.validate()
    query = form.query(current_scope(), current_user.base_currency, today(), accounts)
    granularity = request.args.get("granularity", MONTH)
    granularity = granularity if granularity in GRANULARITIES else MONTH
    category = request.args.get("category") or None
    widget = request.args.get("widget")
    block = PARTIALS.get(widget or "")
    if block and is_htmx():
        widgets: tuple[str, ...] = () if block == "category_transactions" else (block,)
    else:
        widgets, block = dashboard.WIDGETS, None
    # No period chosen: this month, or the latest month with data when it has none. The
    # getting-started checklist (and the first-run welcome) belong to the full page only.
    board = dashboard.build_dashboard(
        db.session, query, widgets=widgets, granularity=granularity, category_key=category,
        cache=ledger_cache(),
        follow_latest=not any(request.args.get(k) for k in ("range", "start", "end")),
        with_checklist=block is None,
    )
    args = request.args
    response = render(
        "dashboard/index.html", block, board=board, form=form, granularity=granularity,
        accounts=accounts, category=category, presets=PRESETS,
        page_url=lambda **changes: page_url(args, **changes),
    )
    return response  # Vary: HX-Request is on every response (security_headers)


@bp.app_template_filter("pct_change")
def pct_change(value: Any) -> str:
    """A signed percentage ("+20.0%", "-3.5%"), or a dash when there is nothing to compare."""
    if value is None:
        return "—"
    return f"{'+' if value > 0 else ''}{value}%"
