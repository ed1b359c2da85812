"""Net worth counts the securities of investment accounts at market value (the ledger's
balance engine, services/ledger/balances.py), day by day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.services.investments import files
from finance_app.services.ledger.balances import DAY, account_balances, net_worth_history
from tests.factories import make_account, make_txn, make_user, scope_of


def test_net_worth_adds_the_holdings_value(ctx):
    user = make_user()
    scope = scope_of(user)
    make_account(user, "Checking", opening_balance=Decimal("500"),
                            opening_date=date(2024, 1, 1))
    brokerage = make_account(user, "Brokerage", type="investment",
                             opening_date=date(2024, 1, 1))
    make_txn(brokerage, "1000", date(2024, 1, 2), "Deposit")
    make_txn(brokerage, "-1000", date(2024, 1, 3), "Bought VTI")
    files.import_trades_file(db.session, scope, brokerage,
                             "date,symbol,action,quantity,price,fees\n2024-01-03,VTI,buy,10,100,0\n")
    files.import_prices_file(db.session, scope, "date,symbol,close\n2024-01-04,VTI,110\n")
    history = net_worth_history(db.session, scope, "USD", DAY, start=date(2024, 1, 2),
                                end=date(2024, 1, 5))
    assert [p.net for p in history.points] == [
        Decimal("1500"),  # cash only
        Decimal("1500"),  # the cash became 10 shares at the buy's price
        Decimal("1600"),  # priced at 110
        Decimal("1600"),  # the latest price on or before the day
    ]
    # The account's own balance agrees: cash 0 + 10 shares at 110.
    found = account_balances(db.session, scope, [brokerage], as_of=date(2024, 1, 5))[brokerage.id]
    assert (found.balance, found.securities) == (Decimal("1100.00"), Decimal("1100.00"))
    before = account_balances(db.session, scope, [brokerage], as_of=date(2024, 1, 2))
    assert before[brokerage.id].balance == Decimal("1000")
