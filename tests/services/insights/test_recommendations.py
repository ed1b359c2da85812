"""Saving recommendations on a constructed ledger with known answers, stored once, dismissed for
good, and never built from a member's private account."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.insight import Insight
from finance_app.services.insights.recommendations import find_recommendations
from finance_app.services.insights.store import dismiss_insight, list_insights, refresh_insights
from finance_app.services.ledger.periods import MONTH, add_periods
from finance_app.tasks.insights import refresh_insights_job
from tests.factories import household_of, make_account, make_category, make_txn, scope_of

TODAY = date.today()


def month_day(back: int, day: int = 5) -> date:
    return add_periods(TODAY.replace(day=1), MONTH, -back).replace(day=day)


def build_ledger(user_id: int) -> dict[str, int]:
    account = make_account(user_id)
    groceries = make_category(user_id, "Groceries")
    restaurants = make_category(user_id, "Restaurants")
    shopping = make_category(user_id, "Shopping")
    fees = make_category(user_id, "Fees")
    rent = make_category(user_id, "Rent")
    for back in range(1, 8):
        make_txn(account, "-400.00" if back == 1 else "-300.00", month_day(back), "Market",
                 category=groceries)
        make_txn(account, "-1500.00", month_day(back, 1), "Landlord", category=rent)
        restaurant = {1: "-170.00", 2: "-130.00"}.get(back, "-100.00")
        make_txn(account, restaurant, month_day(back, 12), "Bistro", category=restaurants)
        make_txn(account, "-150.00" if back <= 3 else "-50.00", month_day(back, 20), "Amazon",
                 category=shopping)
    make_txn(account, "-15.00", TODAY.replace(month=1, day=2), "Overdraft fee", category=fees)
    make_txn(account, "-15.00", TODAY.replace(day=1), "Foreign transaction fee", category=fees)
    db.session.commit()
    return {"groceries": groceries.id, "restaurants": restaurants.id, "fees": fees.id,
            "shopping": shopping.id}


def test_each_kind_is_found_with_its_numbers(app, user_id):
    with app.app_context():
        ids = build_ledger(user_id)
        found = {r.key.rsplit(":", 1)[0] if not r.key.startswith("fees") else "fees": r
                 for r in find_recommendations(db.session, scope_of(user_id), "USD", TODAY)}
    last = month_day(1)
    groceries = found[f"above_median:{ids['groceries']}"]
    assert groceries.title == "Groceries +33 % vs your 6-month median"
    assert groceries.amount == Decimal("100.00")
    assert groceries.detail.startswith(f"$400.00 in {last:%B %Y} against a median of $300.00")
    assert groceries.link_args["category"] == str(ids["groceries"])

    trend = found[f"trending_up:{ids['restaurants']}"]
    assert trend.amount == Decimal("70.00") and "$100.00 → $130.00 → $170.00" in trend.detail
    assert f"above_median:{ids['restaurants']}" in found  # 170 against a median of 100

    amazon = found["merchant_doubled:amazon"]
    assert amazon.amount == Decimal("100.00")  # (450 - 150) / 3 a month
    assert "$450.00" in amazon.detail and "$150.00" in amazon.detail
    assert amazon.link_args["q"] == "Amazon"

    fees = found["fees"]
    assert fees.amount == Decimal("30.00") and fees.title == "$30.00 in fees this year"
    assert fees.detail.startswith("2 fees since 1 January")

    # Steady categories and merchants say nothing.
    assert not [k for k in found if "Landlord" in k or "market" in k]
    # Shopping's last month (150) against the median of 150, 150, 50, 50, 50, 50.
    assert f"above_median:{ids['shopping']}" in found
    assert len(found) == 6


def test_refreshing_twice_stores_each_once_and_a_dismissal_lasts(app, user_id):
    with app.app_context():
        build_ledger(user_id)
        scope = scope_of(user_id)
        first = refresh_insights(db.session, scope, "USD", TODAY)
        again = refresh_insights(db.session, scope, "USD", TODAY)
        assert (first.added, again.added, again.updated) == (6, 0, 6)
        best = list_insights(db.session, scope)[0]
        dismiss_insight(db.session, scope, best.id)
        refresh_insights(db.session, scope, "USD", TODAY)
        assert best.id not in [i.id for i in list_insights(db.session, scope)]
        assert db.session.scalar(select(func.count(Insight.id))) == 6
        assert len(list_insights(db.session, scope, limit=3)) == 3


def test_the_household_job_leaves_private_accounts_out(app, user_id):
    with app.app_context():
        private = make_account(user_id, "My card", is_private=True)
        shopping = make_category(user_id, "Shopping")
        for back in range(1, 7):
            make_txn(private, "-900.00" if back <= 3 else "-100.00", month_day(back),
                     "Jeweller", category=shopping)
        db.session.commit()
        refresh_insights_job(household_of(user_id))
        assert db.session.scalars(select(Insight.key)).all() == []


def test_a_price_rise_and_the_effect_on_the_nearest_goal(app, user_id):
    from datetime import timedelta

    from finance_app.models.recurring import CONFIRMED, RecurringSeries
    from finance_app.services.goals import records as goals
    from finance_app.services.goals.progress import goal_overview
    from finance_app.services.goals.projection import months_to_cover

    with app.app_context():
        ids = build_ledger(user_id)
        scope = scope_of(user_id)
        goal = goals.create_goal(db.session, scope, goals.GoalInput(
            "Emergency fund", Decimal("10000")), today=TODAY)
        for back in range(1, 4):
            goals.add_contribution(db.session, scope, goal.id, Decimal("300"), month_day(back),
                                   TODAY)
        changed = TODAY - timedelta(days=30)
        db.session.add(RecurringSeries(
            household_id=household_of(user_id), merchant="Netflix", merchant_key="netflix",
            interval="monthly", anchors=[changed.day], kind="subscription", currency="USD",
            expected_amount=Decimal("-17.99"), amount_low=Decimal("-17.99"),
            amount_high=Decimal("-17.99"), previous_amount=Decimal("-15.49"),
            amount_changed_on=changed, first_seen=TODAY - timedelta(days=300),
            last_seen=changed, next_due=changed + timedelta(days=30), occurrences=10,
            confidence=0.9, status=CONFIRMED))
        db.session.commit()
        found = {r.key.rsplit(":", 1)[0]: r
                 for r in find_recommendations(db.session, scope, "USD", TODAY)}
        overview = goal_overview(db.session, scope, goal, TODAY)
        pace = overview.paces[0].monthly
        before = months_to_cover(overview.remaining, pace)
        after = months_to_cover(overview.remaining, pace + Decimal("100.00"))
    rise = next(r for k, r in found.items() if k.startswith("subscription_up"))
    assert rise.title == "Netflix went up" and rise.amount == Decimal("30.00")
    assert "From $15.49 to $17.99 on" in rise.detail
    groceries = found[f"above_median:{ids['groceries']}"]
    assert after is not None and before is not None and after < before
    assert groceries.detail.endswith(
        f"Trimming it back to the median would reach “Emergency fund” in {after} months "
        f"instead of {before}.")


def _subscription(household_id: int, merchant: str, amount: str, *, interval: str = "monthly",
                  currency: str = "USD", last_seen_days: int = 10):
    from datetime import timedelta

    from finance_app.models.recurring import CONFIRMED, RecurringSeries

    last = TODAY - timedelta(days=last_seen_days)
    return RecurringSeries(
        household_id=household_id, merchant=merchant, merchant_key=merchant.lower(),
        interval=interval, anchors=[last.day], kind="subscription", currency=currency,
        expected_amount=Decimal(amount), amount_low=Decimal(amount), amount_high=Decimal(amount),
        first_seen=TODAY - timedelta(days=400), last_seen=last,
        next_due=last + timedelta(days=30), occurrences=12, confidence=0.9, status=CONFIRMED)


def test_two_music_services_overlap_and_unrelated_ones_do_not(app, user_id):
    from finance_app.services.insights.subscriptions import service_family

    assert service_family("Spotify USA") == "music"
    assert service_family("Apple Music") == "music"
    assert service_family("Apple") is None  # the store, the phone: says nothing
    assert service_family("Disney+") == "video"
    assert service_family("Maxwell's Tavern") is None
    with app.app_context():
        household = household_of(user_id)
        db.session.add_all([
            _subscription(household, "Spotify", "-11.99"),
            _subscription(household, "Apple Music", "-10.99"),
            _subscription(household, "Netflix", "-15.49"),
            _subscription(household, "Tidal", "-9.99", last_seen_days=120),  # stopped
            _subscription(household, "Deezer", "-99.00", interval="yearly", currency="EUR"),
        ])
        db.session.commit()
        found = [r for r in find_recommendations(db.session, scope_of(user_id), "USD", TODAY)
                 if r.kind == "subscription_overlap"]
    assert len(found) == 1
    overlap = found[0]
    assert overlap.title == "2 music services: Spotify and Apple Music"
    assert overlap.detail == ("Spotify $143.88 a year, Apple Music $131.88 a year. "
                              "Keeping one saves up to $131.88 a year.")
    assert overlap.amount == Decimal("131.88") and overlap.rank == 10
    assert overlap.link_args == {"q": "Spotify"}


def test_trimming_a_category_brings_the_debt_free_date_forward(app, user_id):
    from finance_app.services.debts import records as debts
    from finance_app.services.debts.planner import SNOWBALL, plan_payoff
    from finance_app.services.debts.plans import build_plan

    with app.app_context():
        ids = build_ledger(user_id)
        scope = scope_of(user_id)
        debts.create_debt(db.session, scope, debts.DebtInput(
            "Visa", "credit_card", "USD", Decimal("3000.00"), Decimal("19.99"),
            Decimal("100.00")))
        db.session.commit()
        plan = build_plan(db.session, scope, SNOWBALL, Decimal("0"), "USD", TODAY)
        faster = plan_payoff([v.spec() for v in plan.views], SNOWBALL, Decimal("100.00"))
        found = {r.key.rsplit(":", 1)[0]: r
                 for r in find_recommendations(db.session, scope, "USD", TODAY)}
    before, after = plan.debt_free_date, plan.month_date(faster.months or 0)
    assert before is not None and after < before
    assert found[f"above_median:{ids['groceries']}"].detail.endswith(
        f"Putting it toward your debts would make you debt-free by {after:%B %Y} instead of "
        f"{before:%B %Y}.")
    # Only a trimmable kind says so.
    assert "debt-free" not in found[f"trending_up:{ids['restaurants']}"].detail
