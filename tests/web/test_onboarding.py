"""A new member's first hour on the dashboard: the ways in, the checklist that ticks itself,
the latest month with data when this one has none, and charts that do not draw empty axes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.user import User
from finance_app.services.budgets import budgets
from finance_app.services.goals import records as goals
from finance_app.services.ledger.periods import MONTH
from tests.conftest import CsrfClient
from tests.factories import make_account, make_category, make_txn, scope_of


def page(client: CsrfClient, url: str = "/dashboard/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_empty_household_gets_the_ways_in_not_empty_widgets(client: CsrfClient,
                                                                user_id: int) -> None:
    html = page(client)
    assert 'id="welcome"' in html and "Import a bank export" in html
    assert 'href="/import/"' in html and 'href="/accounts/new"' in html
    assert "0 of 5 done" in html
    assert 'id="stat-income"' not in html and "data-chart=" not in html


def test_the_checklist_ticks_itself_and_hides_when_asked(app: Flask, client: CsrfClient,
                                                          user_id: int) -> None:
    with app.app_context():
        account = make_account(user_id)
        groceries = make_category(user_id, "Groceries")
        make_txn(account, "-20.00", date.today(), "Market", category=groceries,
                 category_source="user")
        db.session.commit()
        groceries_id = groceries.id
    html = page(client)
    assert 'id="welcome"' not in html and 'id="getting-started"' in html
    assert "2 of 5 done" in html  # an account; nothing waits for review
    with app.app_context():
        budgets.create_budget(db.session, scope_of(user_id), groceries_id, MONTH,
                              Decimal("300"), today=date.today())
        db.session.commit()
    html = page(client)
    assert "3 of 5 done" in html
    assert '<a class="fw-medium" href="/goals/new">Set a first goal</a>' in html
    with app.app_context():
        goals.create_goal(db.session, scope_of(user_id),
                          goals.GoalInput("Emergency fund", Decimal("5000")), today=date.today())
        db.session.commit()
    html = page(client)
    assert "4 of 5 done" in html
    assert "Set a first goal</span>" in html

    response = client.post_form("/settings/checklist/dismiss", {}, page="/dashboard/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/dashboard/")
    assert 'id="getting-started"' not in page(client)
    with app.app_context():
        assert db.session.scalar(select(User.onboarding_dismissed_at).where(
            User.id == user_id)) is not None


def test_dismissing_by_htmx_removes_the_card(client: CsrfClient, user_id: int) -> None:
    response = client.post_form("/settings/checklist/dismiss", {}, page="/dashboard/",
                                headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""


def test_dismissing_needs_a_csrf_token(client: CsrfClient, user_id: int) -> None:
    client.post("/settings/checklist/dismiss", data={})
    assert 'id="getting-started"' in page(client)


def test_no_transactions_this_month_shows_the_latest_month_and_says_so(
        app: Flask, client: CsrfClient, user_id: int) -> None:
    with app.app_context():
        account = make_account(user_id)
        make_txn(account, "-42.00", date(2025, 10, 14), "Bookshop")
        make_txn(account, "-8.00", date(2025, 9, 2), "Kiosk")
        db.session.commit()
    html = page(client)
    assert "Showing October 2025, your latest month with transactions." in html
    assert 'id="stat-expense">$42.00<' in html
    # A period the member chose is shown as chosen, empty or not.
    chosen = page(client, "/dashboard/?range=this_month")
    assert "your latest month with transactions" not in chosen
    assert 'id="stat-expense">$0.00<' in chosen
    assert "Nothing to chart for this period yet." in chosen
