"""The dashboard page, its HTMX widgets, filters and the budgets and notification pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.budget import Budget
from finance_app.models.ledger import Account, Category
from finance_app.models.notification import Notification
from finance_app.services import notifications
from finance_app.services.budgets import budgets
from finance_app.services.ledger.periods import MONTH
from tests.conftest import Auth, CsrfClient
from tests.factories import build_ledger, make_txn

HX = {"HX-Request": "true"}
MARCH = "range=custom&start=2026-03-01&end=2026-03-31"


def ids_of(ledger: Any) -> Any:
    """The ledger's ids, usable after its session is gone."""
    return SimpleNamespace(user_id=ledger.user_id, household_id=ledger.household_id,
                           scope=ledger.scope, **{
        name: SimpleNamespace(id=getattr(ledger, name).id)
        for name in ("checking", "card", "euro", "food", "groceries", "dining", "shopping")
    })


@pytest.fixture()
def ledger(app: Flask, user_id: int) -> Any:
    with app.app_context():
        built = build_ledger(user_id)
        db.session.commit()
        return ids_of(built)


def test_dashboard_shows_the_figures_without_javascript(client: CsrfClient, ledger: Any
                                                        ) -> None:
    html = client.get(f"/dashboard/?{MARCH}").get_data(as_text=True)
    assert 'id="stat-income">$3,000.00<' in html
    assert 'id="stat-expense">$540.00<' in html
    assert 'id="stat-savings">82.0%<' in html
    assert "T Groceries +150.0% vs last month" in html
    assert "<table" in html and 'id="account-balances"' in html
    assert "chart.umd.min.js" in html


def test_widget_partial_is_only_its_block(client: CsrfClient, ledger: Any) -> None:
    html = client.get(f"/dashboard/?{MARCH}&widget=trends&granularity=weekly",
                      headers=HX).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="trends"')
    assert 'data-granularity="weekly"' in html and "Week of" in html
    assert "stat-income" not in html
    # Without HX-Request the same URL is the full page.
    full = client.get(f"/dashboard/?{MARCH}&widget=trends&granularity=weekly")
    assert 'id="stat-income"' in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]


def test_category_transactions_partial(client: CsrfClient, ledger: Any) -> None:
    url = f"/dashboard/?{MARCH}&widget=category_transactions&category={ledger.groceries.id}"
    html = client.get(url, headers=HX).get_data(as_text=True)
    assert "T Groceries: 3 transactions" in html
    assert "Superstore" in html and "Bistro" not in html


def test_account_filter(client: CsrfClient, ledger: Any) -> None:
    html = client.get(f"/dashboard/?{MARCH}&account={ledger.card.id}").get_data(as_text=True)
    assert 'id="stat-expense">$230.00<' in html


def test_cache_follows_writes(app: Flask, client: CsrfClient, ledger: Any) -> None:
    assert 'id="stat-expense">$540.00<' in client.get(f"/dashboard/?{MARCH}").get_data(
        as_text=True)
    with app.app_context():
        make_txn(db.session.get(Account, ledger.card.id), "-60", date(2026, 3, 20), "Market")
        db.session.commit()
    assert 'id="stat-expense">$600.00<' in client.get(f"/dashboard/?{MARCH}").get_data(
        as_text=True)


def test_budgets_page_create_and_alert(app: Flask, client: CsrfClient, ledger: Any) -> None:
    response = client.post_form("/budgets/", {
        "category_id": ledger.food.id, "period": "monthly", "amount": "10",
    }, page="/budgets/")
    assert response.status_code == 303
    with app.app_context():
        make_txn(db.session.get(Account, ledger.card.id), "-20", date.today(), "Market",
                 category=db.session.get(Category, ledger.groceries.id))
        db.session.commit()
    # Showing budgets writes nothing: the page reports the overspend, the bell stays quiet.
    html = client.get("/budgets/").get_data(as_text=True)
    assert "T Food" in html and "budget-over" in html
    assert 'id="notification-count">1<' not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    # A write through the app (here: a new transaction) runs the check as a job.
    created = client.post_form("/transactions/new", {
        "account_id": ledger.card.id, "date": date.today().isoformat(), "direction": "out",
        "amount": "1.00", "merchant": "Corner shop",
    }, page="/transactions/new")
    assert created.status_code == 303
    assert 'id="notification-count">1<' in client.get("/budgets/").get_data(as_text=True)
    listed = client.get("/notifications/").get_data(as_text=True)
    assert "T Food: budget used up" in listed


def test_budget_report_page(app: Flask, client: CsrfClient, ledger: Any) -> None:
    with app.app_context():
        budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH,
                              Decimal("300"), today=date.today())
        db.session.commit()
    html = client.get("/budgets/report?period=monthly").get_data(as_text=True)
    assert "data-spec=" in html and "<caption" in html


def test_mark_notification_read(app: Flask, client: CsrfClient, ledger: Any) -> None:
    with app.app_context():
        note = notifications.notify(db.session, ledger.user_id, "test", "Hello", link="/budgets/")
        db.session.commit()
        note_id = note.id
    response = client.post_form(f"/notifications/{note_id}/read", page="/notifications/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/budgets/")
    with app.app_context():
        assert notifications.count_unread(db.session, ledger.user_id) == 0


@pytest.mark.parametrize(("method", "url"), [
    ("get", "/budgets/{budget}/edit"),
    ("post", "/budgets/{budget}/edit"),
    ("post", "/budgets/{budget}/delete"),
    ("post", "/budgets/{budget}/amount"),
    ("get", "/budgets/report?budget={budget}"),
    ("get", "/dashboard/?widget=category_transactions&category={category}"),
    ("post", "/notifications/{note}/read"),
])
def test_other_users_ids_are_not_found(app: Flask, client: CsrfClient, auth: Auth,
                                       method: str, url: str) -> None:
    owner = auth.create("owner@example.com")
    with app.app_context():
        theirs = build_ledger(owner)
        budget = budgets.create_budget(db.session, theirs.scope, theirs.food.id, MONTH,
                                       Decimal("5"), today=date.today())
        note = notifications.notify(db.session, owner, "test", "Theirs")
        db.session.commit()
        target = url.format(budget=budget.id, category=theirs.groceries.id, note=note.id)
    auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    if method == "get":
        response = client.get(target, headers=HX)
    else:
        response = client.post_form(target, {"amount": "1"}, page="/budgets/")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Budget, budget.id) is not None
