"""Debts through the Scope: CRUD, a linked account's balance from the ledger, bad input that
changes nothing, another household's rows not found, and the household plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Debt
from finance_app.services.debts import plans, records
from finance_app.services.debts.planner import AVALANCHE, SNOWBALL
from finance_app.services.errors import NotFound, ValidationFailed
from tests.factories import make_account, make_txn, make_user, scope_of

D = Decimal


def _input(**kw) -> records.DebtInput:
    values = {"name": "Visa", "kind": "credit_card", "currency": "USD", "balance": D("2500"),
              "apr": D("22.99"), "minimum_payment": D("75")}
    values.update(kw)
    return records.DebtInput(**values)


def test_create_update_list_and_delete(ctx):
    scope = scope_of(make_user())
    debt = records.create_debt(db.session, scope, _input())
    assert debt.household_id == scope.household_id and debt.apr == D("22.99")
    records.update_debt(db.session, scope, debt.id, _input(name="Visa gold", apr=D("19.5")))
    assert [d.name for d in records.list_debts(db.session, scope)] == ["Visa gold"]
    db.session.expire_all()
    assert records.get_debt(db.session, scope, debt.id).apr == D("19.5000")
    assert records.delete_debt(db.session, scope, debt.id) == "Visa gold"
    assert records.list_debts(db.session, scope) == []


@pytest.mark.parametrize(("kw", "field"), [
    ({"balance": D("-1")}, "balance"), ({"apr": D("101")}, "apr"),
    ({"minimum_payment": D("0")}, "minimum_payment"), ({"name": "  "}, "name"),
    ({"kind": "yacht"}, "kind"),
])
def test_bad_input_is_refused_and_changes_nothing(ctx, kw, field):
    scope = scope_of(make_user())
    debt = records.create_debt(db.session, scope, _input())
    with pytest.raises(ValidationFailed) as raised:
        records.create_debt(db.session, scope, _input(name="Other", **kw) if "name" not in kw
                            else _input(**kw))
    assert raised.value.field == field
    with pytest.raises(ValidationFailed):
        records.update_debt(db.session, scope, debt.id, _input(**kw))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Debt)) == 1
    assert records.get_debt(db.session, scope, debt.id).balance == D("2500")


def test_names_are_unique_in_the_household(ctx):
    scope = scope_of(make_user())
    records.create_debt(db.session, scope, _input())
    with pytest.raises(records.DuplicateDebt):
        records.create_debt(db.session, scope, _input(name="visa"))


def test_a_linked_account_balance_follows_the_ledger(ctx):
    user = make_user()
    scope = scope_of(user)
    card = make_account(user, "Card", type="credit_card", opening_balance=D("-1000.00"))
    make_txn(card, "-250.10", on=date(2025, 1, 5))
    make_txn(card, "300.00", on=date(2025, 1, 20))
    debt = records.create_debt(db.session, scope, _input(account_id=card.id,
                                                         balance=D("5"), currency="EUR"))
    assert debt.balance == 0 and debt.currency == "USD"  # the account's, not a copy
    [view] = records.debt_views(db.session, scope)
    assert view.is_linked and view.balance == D("950.10")
    make_txn(card, "-49.90", on=date(2025, 2, 1))
    [view] = records.debt_views(db.session, scope)
    assert view.balance == D("1000.00")


def test_only_the_households_loan_and_card_accounts_can_be_linked(ctx):
    user = make_user()
    scope = scope_of(user)
    checking = make_account(user, "Checking")
    other = make_user("bob@example.com")
    foreign = make_account(other, "Bob card", type="credit_card")
    for account_id in (checking.id, foreign.id, 999_999):
        with pytest.raises(records.NotALiabilityAccount):
            records.create_debt(db.session, scope, _input(account_id=account_id))
    assert [a.name for a in records.list_linkable_accounts(db.session, scope)] == []


def test_another_households_debt_is_not_found(ctx):
    owner = scope_of(make_user())
    intruder = scope_of(make_user("eve@example.com"))
    debt = records.create_debt(db.session, owner, _input())
    with pytest.raises(NotFound):
        records.get_debt(db.session, intruder, debt.id)
    with pytest.raises(NotFound):
        records.update_debt(db.session, intruder, debt.id, _input(name="Mine"))
    with pytest.raises(NotFound):
        records.delete_debt(db.session, intruder, debt.id)
    assert records.list_debts(db.session, intruder) == []


def test_household_plan_compares_and_dates_months(ctx):
    scope = scope_of(make_user())
    for name, balance, apr, minimum in (("Visa", "3000", "24", "90"), ("Car", "8000", "6", "200"),
                                        ("Medical", "1200", "0", "50")):
        records.create_debt(db.session, scope, _input(name=name, balance=D(balance),
                                                      apr=D(apr), minimum_payment=D(minimum)))
    hp = plans.build_plan(db.session, scope, SNOWBALL, D("150"), today=date(2026, 12, 15))
    assert hp.first_month == date(2027, 1, 1)
    assert hp.plan.months == 28 and hp.debt_free_date == date(2029, 4, 1)
    assert hp.payoff_date("Medical") == date(2027, 6, 1)
    labels = [c.label for c in hp.comparisons]
    assert labels == ["Minimum payments only", "Avalanche"]
    avalanche = hp.comparisons[1]
    assert avalanche.interest_saved == D("1186.88") - D("1417.12")
    assert avalanche.months_saved == 0
    rows = plans.schedule_rows(hp)
    assert rows[0][:3] == [1, date(2027, 1, 1), "Car"]
    timeline = plans.timeline(hp)
    assert timeline.names == ("Car", "Medical", "Visa")
    assert timeline.rows[0][2] == (D("8000"), D("1200"), D("3000"))
    assert timeline.series(("#000",))[0]["data"][:2] == ["8000.00", "7840.00"]
    assert timeline.rows[-1][2] == (0, 0, 0) and len(timeline.rows) == 29
    hp2 = plans.build_plan(db.session, scope, AVALANCHE, D("0"))
    assert [c.label for c in hp2.comparisons] == ["Minimum payments only", "Snowball"]
