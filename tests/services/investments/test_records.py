"""Recording trades and prices through the Scope (services/investments/records.py, files.py):
idempotent re-imports, an oversell refused with its row and nothing written, prices as a
history, values and gains read back, another household's holdings out of reach."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Security, SecurityPrice, Trade
from finance_app.services.errors import NotFound
from finance_app.services.investments import files, overview, records
from finance_app.services.investments.records import TradeInput, TradeRefused
from tests.factories import make_account, make_user, scope_of

D = Decimal
TRADES = """date,symbol,action,quantity,price,fees
2024-01-10,vti,buy,10,200,1
2024-01-10,VTI,buy,10,200,1
2024-03-01,BND,buy,20,70,0
2024-06-03,VTI,sell,5,220,2
2024-06-28,VTI,reinvest,0.5,221,
"""
PRICES = """date,symbol,close
2024-06-28,VTI,221
2024-07-01,VTI,230
2024-07-01,BND,71.5
"""


def brokerage(owner, name="Brokerage"):
    return make_account(owner, name, type="investment")


def trade_count(account_id=None) -> int:
    query = select(func.count()).select_from(Trade)
    if account_id is not None:
        query = query.where(Trade.account_id == account_id)
    return db.session.scalar(query)


def test_importing_the_same_file_twice_adds_nothing_the_second_time(ctx):
    user = make_user()
    scope = scope_of(user)
    account = brokerage(user)
    first = files.import_trades_file(db.session, scope, account, TRADES.encode())
    assert (first.rows, first.added, first.duplicates) == (5, 5, 0)  # both identical buys kept
    again = files.import_trades_file(db.session, scope, account, TRADES.encode())
    assert (again.rows, again.added, again.duplicates) == (5, 0, 5)
    assert trade_count(account.id) == 5
    assert {s.symbol for s in records.list_securities(db.session, scope)} == {"VTI", "BND"}


def test_a_sale_of_more_than_is_held_is_refused_with_its_row_and_nothing_is_written(ctx):
    user = make_user()
    scope = scope_of(user)
    account = brokerage(user)
    text = ("date,symbol,action,quantity,price,fees\n"
            "2024-01-10,VTI,buy,10,200,0\n"
            "2024-02-10,AAPL,buy,3,180,0\n"
            "2024-03-10,VTI,sell,11,210,0\n")
    with pytest.raises(TradeRefused) as refused:
        files.import_trades_file(db.session, scope, account, text)
    assert refused.value.row == 4
    assert refused.value.message.startswith("Row 4: sells 11 VTI but only 10 are held")
    assert trade_count() == 0
    assert db.session.scalar(select(func.count()).select_from(Security)) == 0


def test_a_sale_is_checked_against_the_trades_already_recorded(ctx):
    user = make_user()
    scope = scope_of(user)
    account = brokerage(user)
    records.record_trades(db.session, scope, account, [
        TradeInput(date(2024, 1, 1), "VTI", "buy", D(4), D(100))])
    with pytest.raises(TradeRefused):
        records.record_trades(db.session, scope, account, [
            TradeInput(date(2024, 2, 1), "VTI", "sell", D(5), D(100), ref=2)])
    # The provider's id makes a synced trade idempotent too.
    synced = TradeInput(date(2024, 2, 1), "VTI", "sell", D(4), D(110), external_id="plaid-1")
    assert records.record_trades(db.session, scope, account, [synced]).added == 1
    assert records.record_trades(db.session, scope, account, [synced]).duplicates == 1


def test_a_bad_row_names_itself(ctx):
    user = make_user()
    with pytest.raises(files.FileRefused) as refused:
        files.import_trades_file(db.session, scope_of(user), brokerage(user),
                                 "date,symbol,action,quantity,price,fees\n"
                                 "2024-01-10,VTI,buy,10,200,0\n2024-01-11,VTI,short,1,1,0\n")
    assert "Row 3: the action 'short'" in refused.value.message


def test_prices_are_a_history_and_values_use_the_latest_on_or_before_the_day(ctx):
    user = make_user()
    scope = scope_of(user)
    account = brokerage(user)
    files.import_trades_file(db.session, scope, account, TRADES)
    result = files.import_prices_file(db.session, scope, PRICES)
    assert (result.added, result.duplicates) == (3, 0)
    assert files.import_prices_file(db.session, scope, "date,symbol,close\n"
                                    "2024-07-01,VTI,231\n").duplicates == 1
    assert db.session.scalar(select(func.count()).select_from(SecurityPrice)) == 3

    view = overview.holdings_view(db.session, scope, date(2024, 7, 10))
    vti, bnd = view.rows
    # 10 + 10 - 5 + 0.5 shares at 231 (9 days old); 20 at 71.50
    assert (vti.symbol, vti.quantity, vti.value) == ("VTI", D("15.5"), D("3580.50"))
    assert vti.quote.age_on(date(2024, 7, 10)) == 9
    # cost: the first lot's 5 shares left (1000.50), the second lot (2001) and the reinvested
    # 0.5 share (110.50)
    assert vti.cost == D("3112.00")
    assert (bnd.value, bnd.cost) == (D("1430.00"), D("1400.00"))
    assert vti.weight + bnd.weight == D("100.00")
    assert {s.label for s in view.by_kind} == {"Stock"}

    report = overview.realized_gains(db.session, scope, 2024)
    # 5 shares of the first lot: cost 5 x 200.10 = 1000.50; proceeds 5 x 220 - 2 = 1098
    assert overview.gains_line(report.totals) == (
        "proceeds=1098.00 cost=1000.50 realized=97.50 short_term=97.50 long_term=0.00")
    assert report.dividends == D("110.50") and report.reinvested == D("110.50")


def test_another_households_holdings_are_not_found(ctx):
    owner, other = make_user("owner@example.com"), make_user("other@example.com")
    account = brokerage(owner)
    files.import_trades_file(db.session, scope_of(owner), account, TRADES)
    security = db.session.scalars(select(Security)).first()
    intruder = scope_of(other)
    with pytest.raises(NotFound):
        records.get_security(db.session, intruder, security.id)
    with pytest.raises(NotFound):
        overview.security_lots(db.session, intruder, security.id, date(2024, 7, 1))
    with pytest.raises(NotFound):
        records.record_trades(db.session, intruder, account, [])
    assert overview.holdings_view(db.session, intruder, date(2024, 7, 1)).rows == []
    assert overview.realized_gains(db.session, intruder, 2024).disposals == []


def test_a_checking_account_takes_no_trades(ctx):
    user = make_user()
    with pytest.raises(NotFound):
        records.record_trades(db.session, scope_of(user), make_account(user, "Checking"), [])
