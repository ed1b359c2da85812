"""Budgets on the fixed ledger: spending per category and group, rollover, copy, suggestions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.services.budgets import budgets
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.ledger.periods import MONTH, WEEK, YEAR
from tests.factories import Ledger, build_ledger, make_user

D = Decimal
FEB, MARCH = date(2026, 2, 5), date(2026, 3, 15)


@pytest.fixture()
def ledger(ctx: object) -> Ledger:
    return build_ledger(make_user("budget@example.com"))


def status_of(ledger: Ledger, budget_id: int, today: date = MARCH) -> budgets.BudgetStatus:
    statuses = budgets.compute_statuses(db.session, ledger.scope, "USD", today)
    return next(s for s in statuses if s.budget_id == budget_id)


def test_group_budget_counts_its_categories(ledger: Ledger) -> None:
    food = budgets.create_budget(db.session, ledger.scope, ledger.food.id, MONTH, D("400"),
                                 today=MARCH)
    status = status_of(ledger, food.id)
    assert status.current.spent == D("450")  # groceries 250 + dining 200 (EUR converted)
    assert status.current.remaining == D("-50")
    assert status.current.state == "over"
    assert status.is_group


def test_rollover_of_what_is_left(ledger: Ledger) -> None:
    groceries = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH,
                                      D("300"), rollover=True, today=FEB)
    status = status_of(ledger, groceries.id)
    # February: 300 budgeted, 100 spent -> 200 carried into March.
    assert status.current.budgeted == D("300")
    assert status.current.carried == D("200")
    assert status.current.available == D("500")
    assert status.current.spent == D("250")
    assert status.current.percent == 50
    assert status.current.state == "ok"


def test_overspending_rolls_only_when_asked(ledger: Ledger) -> None:
    dining = budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH,
                                   D("150"), rollover=True, rollover_overspend=True, today=MARCH)
    # March: 150 budgeted, 200 spent -> April starts 50 short.
    april = status_of(ledger, dining.id, date(2026, 4, 2))
    assert april.current.carried == D("-50")
    assert april.current.available == D("100")
    budgets.update_budget(db.session, ledger.scope, dining.id, amount=D("150"),
                          rollover=True, rollover_overspend=False)
    assert status_of(ledger, dining.id, date(2026, 4, 2)).current.carried == D("0")


def test_rollover_does_not_reach_before_the_budget_started(ledger: Ledger) -> None:
    groceries = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH,
                                      D("300"), rollover=True, today=MARCH)
    assert status_of(ledger, groceries.id).current.carried == D("0")


def test_period_amounts_and_copy_last_period(ledger: Ledger) -> None:
    shop = budgets.create_budget(db.session, ledger.scope, ledger.shopping.id, MONTH,
                                 D("100"), today=FEB)
    budgets.set_period_amount(db.session, ledger.scope, shop.id, date(2026, 2, 20), D("70"))
    assert status_of(ledger, shop.id, FEB).current.budgeted == D("70")
    assert status_of(ledger, shop.id).current.budgeted == D("100")
    assert budgets.copy_last_period(db.session, ledger.scope, MARCH) == 1
    assert status_of(ledger, shop.id).current.budgeted == D("70")
    assert budgets.copy_last_period(db.session, ledger.scope, MARCH) == 0


def test_suggestion_is_the_median_of_six_months(ledger: Ledger) -> None:
    groceries = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH,
                                      D("300"), today=MARCH)
    weekly = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, WEEK,
                                   D("80"), today=MARCH)
    yearly = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, YEAR,
                                   D("3000"), today=MARCH)
    # In March the last six months are Sep..Feb: 0, 0, 0, 0, 0, 100 -> median 0: no suggestion.
    assert status_of(ledger, groceries.id).suggested is None
    april = budgets.compute_statuses(db.session, ledger.scope, "USD", date(2026, 4, 1))
    assert {s.budget_id: s.suggested for s in april} == {
        groceries.id: None, weekly.id: None, yearly.id: None,
    }
    # Three more months of groceries: Dec..Mar = 90, 110, 100, 250 -> Oct..Mar median 95.
    from tests.factories import make_txn

    for month, amount in ((12, "-90"), (1, "-110")):
        make_txn(ledger.card, amount, date(2025 if month == 12 else 2026, month, 3), "Market",
                 category=ledger.groceries)
    make_txn(ledger.card, "-120", date(2025, 11, 3), "Market", category=ledger.groceries)
    by_id = {s.budget_id: s.suggested
             for s in budgets.compute_statuses(db.session, ledger.scope, "USD",
                                               date(2026, 4, 1))}
    # Oct..Mar = 0, 120, 90, 110, 100, 250 -> median (100 + 110) / 2 = 105.
    assert by_id[groceries.id] == D("105")
    assert by_id[weekly.id] == D("25")  # 105 * 12 / 52 = 24.23 -> rounded up
    assert by_id[yearly.id] == D("1260")


def test_budget_vs_actual_report(ledger: Ledger) -> None:
    groceries = budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH,
                                      D("300"), today=FEB)
    statuses = budgets.compute_statuses(db.session, ledger.scope, "USD", MARCH)
    report = budgets.budget_vs_actual(statuses, MONTH)
    assert len(report) == 12
    assert (report[-1].start, report[-1].budgeted, report[-1].spent) == (
        date(2026, 3, 1), D("300"), D("250"))
    assert report[-2].spent == D("100")
    assert report[-2].difference == D("200")
    assert budgets.budget_vs_actual(statuses, MONTH, groceries.id + 99) == []


def test_validation_and_isolation(ledger: Ledger) -> None:
    with pytest.raises(budgets.NotAnExpenseCategory):
        budgets.create_budget(db.session, ledger.scope, ledger.salary.id, MONTH, D("1"),
                              today=MARCH)
    with pytest.raises(ValidationFailed):
        budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH, D("0"),
                              today=MARCH)
    budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH, D("10"),
                          today=MARCH)
    with pytest.raises(budgets.BudgetExists):
        budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH, D("10"),
                              today=MARCH)
    other = build_ledger(make_user("intruder@example.com"))
    with pytest.raises(NotFound):
        budgets.create_budget(db.session, other.scope, ledger.dining.id, MONTH, D("10"),
                              today=MARCH)
    theirs = budgets.create_budget(db.session, other.scope, other.dining.id, MONTH, D("10"),
                                   today=MARCH)
    with pytest.raises(NotFound):
        budgets.update_budget(db.session, ledger.scope, theirs.id, amount=D("5"),
                              rollover=False, rollover_overspend=False)
    with pytest.raises(NotFound):
        budgets.delete_budget(db.session, ledger.scope, theirs.id)
    assert [s.budget_id for s in budgets.compute_statuses(db.session, other.scope, "USD",
                                                          MARCH)] == [theirs.id]
