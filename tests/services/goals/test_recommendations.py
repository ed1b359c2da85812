"""Recommendations from the household's own spending: category medians over the last 6 full
months from the ledger, steady bills left out, a trim never more than a quarter of a median."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.ledger import TRANSFER
from finance_app.services.goals.recommendations import (
    CategoryMedian,
    Recommendation,
    Trim,
    category_medians,
    history_window,
    recommend,
)
from tests.factories import make_account, make_category, make_txn, make_user, scope_of

TODAY = date(2026, 7, 15)
MONTHS = [(2026, m) for m in range(1, 7)]


def _median(name, *monthly):
    values = tuple(Decimal(v) for v in monthly)
    ordered = sorted(values)
    return CategoryMedian(1, name, values, (ordered[2] + ordered[3]) / 2)


def test_history_window_is_the_last_six_full_months():
    assert history_window(TODAY) == (date(2026, 1, 1), date(2026, 6, 30))


def test_medians_come_from_the_ledger_to_the_cent(ctx):
    scope = scope_of(make_user())
    checking = make_account(scope, "Checking")
    food = make_category(scope, "Food")
    dining = make_category(scope, "Restaurants", parent=food)
    rent = make_category(scope, "Rent", parent=food)
    moves = make_category(scope, "Moves", TRANSFER)
    for (year, month), spent in zip(MONTHS, ("400", "420", "380", "412", "450", "300"),
                                    strict=True):
        make_txn(checking, f"-{spent}", date(year, month, 12), "Bistro", category=dining)
        make_txn(checking, "-1500", date(year, month, 1), "Landlord", category=rent)
    make_txn(checking, "25.50", date(2026, 3, 20), "Bistro refund", category=dining)
    make_txn(checking, "-999", date(2026, 7, 2), "Bistro", category=dining)  # this month
    make_txn(checking, "-999", date(2025, 12, 2), "Bistro", category=dining)  # too early
    make_txn(checking, "-5000", date(2026, 2, 2), "Broker", category=moves)  # a transfer
    found = {c.name: c for c in category_medians(db.session, scope, "USD", TODAY)}
    assert set(found) == {"Restaurants", "Rent"}
    restaurants = found["Restaurants"]
    assert restaurants.monthly == tuple(Decimal(v) for v in (
        "400.00", "420.00", "354.50", "412.00", "450.00", "300.00"))
    assert restaurants.median == Decimal("406.00") and not restaurants.is_steady
    assert found["Rent"].median == Decimal("1500.00") and found["Rent"].is_steady


def test_a_month_without_spending_counts_as_zero(ctx):
    scope = scope_of(make_user())
    checking = make_account(scope, "Checking")
    hobby = make_category(scope, "Hobbies", parent=make_category(scope, "Fun"))
    for month in (1, 2, 3, 4):
        make_txn(checking, "-100", date(2026, month, 3), "Shop", category=hobby)
    [found] = category_medians(db.session, scope, "USD", TODAY)
    assert found.monthly[-2:] == (Decimal("0.00"), Decimal("0.00"))
    assert found.median == Decimal("100.00")


def test_one_habit_takes_the_gap_rounded_up_to_whole_units():
    medians = [_median("Rent", 1500, 1500, 1500, 1500, 1500, 1500),
               _median("Groceries", 560, 600, 610, 590, 640, 620),
               _median("Restaurants", 400, 420, 380, 412, 450, 300)]
    assert recommend(Decimal("84.10"), medians) == [
        Recommendation("trim", (Trim("Groceries", Decimal("605"), Decimal("85")),)),
        Recommendation("trim", (Trim("Restaurants", Decimal("406"), Decimal("85")),)),
    ]
    # Over a quarter of Restaurants' median (101.50): only Groceries can take it.
    assert [r.trims[0].category for r in recommend(Decimal("120"), medians)] == ["Groceries"]
    assert recommend(Decimal("0"), medians) == []


def test_a_larger_gap_is_shared_in_proportion_to_the_medians():
    medians = [_median("Groceries", 600, 600, 590, 610, 640, 560),
               _median("Restaurants", 400, 420, 380, 412, 450, 300),
               _median("Shopping", 90, 110, 100, 100, 80, 120)]
    [shared] = recommend(Decimal("200"), medians)
    assert shared.kind == "spread"
    # 200 * 600/1106 = 108.50 -> 109; 200 * 406/1106 = 73.42 -> 74; 200 * 100/1106 -> 19.
    assert [(t.category, t.amount) for t in shared.trims] == [
        ("Groceries", Decimal("109")), ("Restaurants", Decimal("74")), ("Shopping", Decimal("19"))]
    assert shared.total >= Decimal("200")
    # More than a quarter of every habit: no suggestion rather than an unrealistic one.
    assert recommend(Decimal("400"), medians) == []
