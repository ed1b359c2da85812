"""One engine for money over time: on the demo ledger the dashboard, the net-worth page and the
accounts list show the same net worth and the same balances, to the cent."""

from __future__ import annotations

from datetime import date

from finance_app.extensions import db
from finance_app.services import accounts as account_service
from finance_app.services.demo.ledger import seed_demo_ledger
from finance_app.services.ledger import balance_sheet as sheet
from finance_app.services.ledger import periods
from finance_app.services.ledger.balances import DAY, MONTH, net_worth_history, net_worth_now
from finance_app.services.ledger.query import LedgerQuery
from tests.factories import make_user, scope_of


def test_dashboard_net_worth_page_and_accounts_list_agree_to_the_cent(ctx):
    user = make_user("demo@example.com", name="Demo")
    seed_demo_ledger(db.session, user)
    scope, today = scope_of(user), date.today()

    board = sheet.balances(db.session, LedgerQuery(
        scope, "USD", today, periods.preset_range("this_month", today)))
    page = net_worth_now(db.session, scope, "USD").latest
    summary = account_service.summarize(db.session, scope, "USD")
    views = account_service.list_account_views(db.session, scope, "USD", include_archived=True)

    assert page is not None and page.complete
    assert board.net_worth == page.net == summary.net
    assert board.history[-1].assets == page.assets == summary.assets
    assert board.history[-1].liabilities == page.liabilities == summary.liabilities
    assert {a.account_id: a.balance for a in board.accounts} == {
        v.account.id: v.balance.balance for v in views}
    assert {a.account_id: a.converted for a in board.accounts} == {
        v.account.id: v.base_balance for v in views}
    # The month-end points of the dashboard are the net-worth page's monthly history.
    monthly = {p.day: p.net for p in net_worth_history(
        db.session, scope, "USD", MONTH, start=board.history[0].day).points}
    assert {p.day: p.net for p in board.history} == monthly
    # And a day-by-day history ends on the same figure.
    daily = net_worth_history(db.session, scope, "USD", DAY, start=today.replace(day=1))
    assert daily.points[-1].net == page.net
