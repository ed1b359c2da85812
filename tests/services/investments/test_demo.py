"""The demo brokerage (services/demo/investments.py): holdings, a wash sale, returns; a second
run adds nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Trade
from finance_app.services.demo.investments import seed_demo_investments
from finance_app.services.investments import overview
from tests.factories import make_user, scope_of

TODAY = date(2026, 6, 15)


def test_the_demo_brokerage(ctx):
    user = make_user()
    line = seed_demo_investments(db.session, user, TODAY)
    count = db.session.scalar(select(func.count()).select_from(Trade))
    assert line == f"investments: Demo Brokerage with {count} new trades in VTI, BND and AAPL"
    assert seed_demo_investments(db.session, user, TODAY).startswith(
        "investments: Demo Brokerage with 0 new trades")
    scope = scope_of(user)
    view = overview.holdings_view(db.session, scope, TODAY)
    assert [h.symbol for h in view.rows] == ["VTI", "BND", "AAPL"]
    assert all(h.quote is not None and h.quote.age_on(TODAY) == 3 for h in view.rows)
    assert view.value > view.cost > 0
    aapl = next(h for h in view.rows if h.symbol == "AAPL")
    assert aapl.quantity == 12  # 5 shares, split 4-for-1, 8 sold
    years = {d.sold.year: d for d in overview.realized_gains(db.session, scope, 2025).disposals}
    assert years
    sold = [d for y in (2024, 2025, 2026)
            for d in overview.realized_gains(db.session, scope, y).disposals]
    assert any(d.is_wash_sale for d in sold)
    returns = overview.returns_view(db.session, scope, TODAY)
    assert returns.benchmark == "VTI"
    assert all(p.twr is not None for p in returns.rows[0].periods)
