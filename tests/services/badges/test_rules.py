"""Every badge rule on a small ledger built for it: not earned just short of the rule, earned
(with the day the data met it) once it is met."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.models import Budget, ImportBatch, Rule
from finance_app.models.ledger import INCOME
from finance_app.services.badges.facts import BadgeFacts, GoalFigures
from finance_app.services.badges.rules import RULES, RULES_BY_KEY, Progress
from finance_app.services.debts import records as debts
from tests.factories import make_account, make_category, make_txn, make_user, scope_of

TODAY = date(2026, 6, 15)


@pytest.fixture()
def owner(ctx):
    return make_user("owner@example.com")


def measure(owner, key: str, today: date = TODAY, goals=None) -> Progress:
    facts = BadgeFacts(db.session, scope_of(owner), "USD", today)
    if goals is not None:
        facts.goals = goals  # the goals feature's figures, given directly
    return RULES_BY_KEY[key].measure(facts)


def test_the_registry_has_at_least_twelve_badges_with_unique_keys():
    keys = [rule.key for rule in RULES]
    assert len(keys) >= 12 and len(set(keys)) == len(keys)
    assert all(rule.title and rule.description and rule.icon for rule in RULES)
    assert all(len(key) <= 40 for key in keys)


def test_an_empty_household_has_earned_nothing(owner):
    facts = BadgeFacts(db.session, scope_of(owner), "USD", TODAY)
    progress = {rule.key: rule.measure(facts) for rule in RULES}
    assert [k for k, p in progress.items() if p.is_earned] == []
    assert progress["first_import"] == Progress(0, 1, None, "Import a bank export.")
    assert progress["debt_free"].hint == "Add your debts."


def test_first_import_is_the_first_completed_batch(owner):
    scope = scope_of(owner)
    db.session.add_all([
        ImportBatch(household_id=scope.household_id, status="failed",
                    completed_at=datetime(2026, 1, 2, 9)),
        ImportBatch(household_id=scope.household_id, status="completed",
                    completed_at=datetime(2026, 2, 3, 9)),
        ImportBatch(household_id=scope.household_id, status="completed",
                    completed_at=datetime(2026, 4, 1, 9)),
    ])
    db.session.flush()
    assert measure(owner, "first_import") == Progress(1, 1, date(2026, 2, 3))


def test_six_months_of_history_counts_months_with_transactions(owner):
    checking = make_account(owner)
    for month in (1, 2, 3, 5, 6):
        make_txn(checking, "-10", date(2026, month, 4))
    assert measure(owner, "six_months_history") == Progress(5, 6)
    make_txn(checking, "-10", date(2025, 12, 20))
    assert measure(owner, "six_months_history") == Progress(6, 6, date(2026, 6, 4))


def test_first_budget_and_first_rule_use_when_they_were_created(owner):
    scope = scope_of(owner)
    food = make_category(owner, "Food")
    db.session.add_all([
        Budget(household_id=scope.household_id, category_id=food.id, period="monthly",
               amount=Decimal("100"), start_date=date(2026, 3, 1),
               created_at=datetime(2026, 3, 9, 12)),
        Rule(household_id=scope.household_id, name="Coffee", conditions=[], actions={},
             created_at=datetime(2026, 5, 1, 8)),
    ])
    db.session.flush()
    assert measure(owner, "first_budget").earned_on == date(2026, 3, 9)
    assert measure(owner, "first_rule").earned_on == date(2026, 5, 1)


def test_thirty_days_categorized_in_a_row(owner):
    checking = make_account(owner)
    food = make_category(owner, "Food")
    make_txn(checking, "-5", date(2026, 5, 1))  # uncategorized
    make_txn(checking, "-5", date(2026, 5, 20), category=food)
    # May 2 .. June 15 is 45 days, but an uncategorized row on May 25 cuts it.
    make_txn(checking, "-5", date(2026, 5, 25))
    make_txn(checking, "-5", date(2026, 6, 14), category=food)
    assert measure(owner, "categorized_30_days") == Progress(20, 30)  # May 26 .. June 14
    assert measure(owner, "categorized_30_days", date(2026, 6, 10)).current == 16
    later = measure(owner, "categorized_30_days", date(2026, 7, 30))
    assert later.current == 20  # the run stops at the latest transaction, June 14
    make_txn(checking, "-5", date(2026, 6, 30), category=food)
    assert measure(owner, "categorized_30_days", date(2026, 7, 30)) == Progress(
        30, 30, date(2026, 6, 24))


def test_a_hundred_reviewed(owner):
    checking = make_account(owner)
    for n in range(99):
        make_txn(checking, "-1", date(2026, 1, 1) + timedelta(days=n), category_source="user")
    make_txn(checking, "-1", date(2026, 5, 1), category_source="model")
    assert measure(owner, "reviewed_100") == Progress(99, 100)
    make_txn(checking, "-1", date(2026, 5, 2), category_source="user")
    assert measure(owner, "reviewed_100") == Progress(100, 100, TODAY)


def _months(owner, spending_by_month: dict[date, str], income: str = "1000"):
    checking = make_account(owner, "Main")
    salary = make_category(owner, "Salary", INCOME)
    food = make_category(owner, "Food")
    for month, spent in spending_by_month.items():
        make_txn(checking, income, month, "Payroll", category=salary)
        make_txn(checking, f"-{spent}", month + timedelta(days=3), "Market", category=food)
    return food


def test_under_budget_three_months_in_a_row(owner):
    food = _months(owner, {date(2026, 1, 1): "90", date(2026, 2, 1): "150",
                           date(2026, 3, 1): "80", date(2026, 4, 1): "100",
                           date(2026, 5, 1): "99", date(2026, 6, 1): "500"})
    assert measure(owner, "under_budget_3_months").hint == "Create a monthly budget."
    scope = scope_of(owner)
    db.session.add(Budget(household_id=scope.household_id, category_id=food.id,
                          period="monthly", amount=Decimal("100"),
                          start_date=date(2026, 1, 1)))
    db.session.flush()
    # January kept, February over, then March, April (exactly 100) and May kept; June runs.
    assert measure(owner, "under_budget_3_months") == Progress(3, 3, date(2026, 5, 31))
    assert measure(owner, "under_budget_3_months", date(2026, 5, 20)) == Progress(2, 3)


def test_months_before_a_budget_was_set_do_not_count(owner):
    food = _months(owner, {date(2026, 1, 1): "10", date(2026, 2, 1): "10",
                           date(2026, 3, 1): "10", date(2026, 4, 1): "10"})
    scope = scope_of(owner)
    db.session.add(Budget(household_id=scope.household_id, category_id=food.id,
                          period="monthly", amount=Decimal("100"),
                          start_date=date(2026, 3, 10)))
    db.session.flush()
    assert measure(owner, "under_budget_3_months", date(2026, 5, 2)) == Progress(2, 3)


def test_saved_three_months_in_a_row_and_a_twenty_percent_month(owner):
    _months(owner, {date(2026, 1, 1): "1200", date(2026, 2, 1): "900",
                    date(2026, 3, 1): "850", date(2026, 4, 1): "1000",
                    date(2026, 5, 1): "990"})
    # Saved in February and March, not April (even), then May: the run never reaches 3.
    assert measure(owner, "saved_3_months") == Progress(1, 3)
    assert measure(owner, "savings_rate_20") == Progress(15, 20)  # March: 15 %
    make_txn(make_account(owner, "Side"), "1000", date(2026, 4, 20), "Bonus",
             category=make_category(owner, "Bonus", INCOME))
    assert measure(owner, "saved_3_months") == Progress(3, 3, date(2026, 4, 30))
    assert measure(owner, "savings_rate_20") == Progress(20, 20, date(2026, 4, 30))


def test_net_worth_up_three_month_ends_in_a_row(owner):
    savings = make_account(owner, "Savings", opening_balance=Decimal("100"),
                           opening_date=date(2026, 1, 1))
    for month, amount in ((1, "50"), (2, "-80"), (3, "10"), (4, "10")):
        make_txn(savings, amount, date(2026, month, 10))
    # Month ends 150, 70, 80, 90 (then May stays at 90, which breaks the run).
    assert measure(owner, "net_worth_up_3_months", date(2026, 5, 5)) == Progress(2, 3)
    assert measure(owner, "net_worth_up_3_months") == Progress(0, 3)
    make_txn(savings, "1", date(2026, 5, 10))
    assert measure(owner, "net_worth_up_3_months") == Progress(3, 3, date(2026, 5, 31))


def goal(kind: str = "custom", saved: str = "0", target: str = "1000") -> GoalFigures:
    percent = Decimal(saved) * 100 / Decimal(target)
    return GoalFigures("G", kind, Decimal(saved), Decimal(target),
                       percent.quantize(Decimal("0.01")))


@pytest.mark.parametrize(("key", "threshold"), [("goal_25", 25), ("goal_50", 50),
                                                ("goal_75", 75), ("goal_100", 100)])
def test_goal_milestones(owner, key, threshold):
    assert measure(owner, key, goals=()).hint == "Set a goal."
    just_short = str(threshold * 10 - 1)  # of 1000: threshold - 0.1 %
    assert measure(owner, key, goals=(goal(saved="10"), goal(saved=just_short))) == Progress(
        threshold - 1, threshold)
    reached = (goal(saved="10"), goal(saved=str(threshold * 10)))
    assert measure(owner, key, goals=reached) == Progress(threshold, threshold, TODAY)


def test_emergency_fund_covers_three_months_of_spending(owner):
    _months(owner, {date(2026, 2, 1): "300", date(2026, 3, 1): "400",
                    date(2026, 4, 1): "500", date(2026, 5, 1): "600"})
    # The last three whole months: 400 + 500 + 600 = 1500, 500 a month: 1500 needed.
    assert measure(owner, "emergency_fund_3_months", goals=(goal(saved="5000"),)).hint == \
        "Set an emergency fund goal."
    funds = (goal("emergency_fund", "1000", "3000"), goal("emergency_fund", "499.99", "3000"))
    assert measure(owner, "emergency_fund_3_months", goals=funds) == Progress(
        Decimal("1499.99"), Decimal("1500.00"))
    funds = (*funds, goal("emergency_fund", "0.01", "3000"))
    assert measure(owner, "emergency_fund_3_months", goals=funds) == Progress(
        Decimal("1500.00"), Decimal("1500.00"), TODAY)


def test_goal_rules_read_the_goals_feature(owner):
    """With the goals feature installed, its progress is what the rules read."""
    records = pytest.importorskip("finance_app.services.goals.records")
    scope = scope_of(owner)
    created = records.create_goal(db.session, scope, records.GoalInput(
        name="Rainy day", target_amount=Decimal("1000"), kind="emergency_fund"), TODAY)
    records.add_contribution(db.session, scope, created.id, Decimal("500"), TODAY, TODAY)
    assert measure(owner, "goal_50") == Progress(50, 50, TODAY)
    assert measure(owner, "goal_75") == Progress(50, 75)


def test_a_debt_paid_off_and_debt_free(owner):
    scope = scope_of(owner)
    card = make_account(owner, "Card", type="credit_card", opening_balance=Decimal("-300"))
    make_txn(card, "200", date(2026, 4, 2), "Payment")
    debts.create_debt(db.session, scope, debts.DebtInput(
        "Card", "credit_card", minimum_payment=Decimal("25"), account_id=card.id))
    loan = debts.create_debt(db.session, scope, debts.DebtInput(
        "Loan", balance=Decimal("50"), minimum_payment=Decimal("10")))
    assert measure(owner, "debt_paid_off") == Progress(0, 1)
    assert measure(owner, "debt_free") == Progress(0, 2)
    make_txn(card, "100", date(2026, 5, 7), "Payment")  # the card's balance reaches 0
    assert measure(owner, "debt_paid_off") == Progress(1, 1, date(2026, 5, 7))
    assert measure(owner, "debt_free") == Progress(1, 2)
    debts.update_debt(db.session, scope, loan.id, debts.DebtInput(
        "Loan", balance=Decimal("0"), minimum_payment=Decimal("10")))
    assert measure(owner, "debt_free") == Progress(2, 2, TODAY)


def test_a_no_spend_weekend(owner):
    checking = make_account(owner)
    # Saturday May 2 .. Sunday May 31, 2026: money goes out on every weekend but the last,
    # where only income and a refund arrive.
    for saturday in (date(2026, 5, 2), date(2026, 5, 9), date(2026, 5, 16), date(2026, 5, 23)):
        make_txn(checking, "-3", saturday + timedelta(days=saturday.day % 2))
    make_txn(checking, "100", date(2026, 5, 30), "Payroll",
             category=make_category(owner, "Pay", INCOME))
    make_txn(checking, "4", date(2026, 5, 31), "Refund", category=make_category(owner, "Food"))
    assert measure(owner, "no_spend_weekend", date(2026, 5, 30)) == Progress(0, 1)
    assert measure(owner, "no_spend_weekend") == Progress(1, 1, date(2026, 5, 31))
