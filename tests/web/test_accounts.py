"""Accounts pages: list with exact balances, forms, detail, net worth, rates, and 404 sweeps."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, ExchangeRate
from finance_app.services.ledger import rates as currency
from tests.factories import household_of, make_account, make_txn, make_user, scope_of

FORM = {"name": "Joint checking", "type": "checking", "institution": "Chase",
        "currency": "USD", "opening_balance": "1,234.50", "opening_date": "2024-01-01",
        "group_name": "", "color": "#4338ca", "icon": "bank", "include_in_net_worth": "y"}


def _account(app, user_id, **kw) -> int:
    with app.app_context():
        account = make_account(user_id, kw.pop("name", "Checking"), **kw)
        db.session.commit()
        return account.id


def test_list_shows_exact_balances_in_account_and_base_currency(app, client, user_id):
    with app.app_context():
        account = make_account(user_id, "Tiny", opening_balance=Decimal("0"))
        make_txn(account, "0.10")
        make_txn(account, "0.20")
        euro = make_account(user_id, "Euro", currency="EUR", opening_balance=Decimal("10.00"))
        currency.set_rate(db.session, scope_of(user_id), date(2020, 1, 1), "EUR", "USD",
                          Decimal("1.5"))
        make_account(user_id, "Yen", currency="JPY", opening_balance=Decimal("100"))
        db.session.commit()
        assert euro.id
    body = client.get("/accounts/").get_data(as_text=True)
    assert "$0.30" in body and "€10.00" in body and "$15.00" in body
    assert "no JPY-&gt;USD rate" in body or "no JPY->USD rate" in body
    assert 'id="net-worth-total"' in body and "$15.30" in body


def test_add_account_form_and_errors(app, client, user_id):
    response = client.post_form("/accounts/new", FORM, page="/accounts/new")
    assert response.status_code == 303
    with app.app_context():
        account = db.session.scalar(select(Account).where(
            Account.household_id == household_of(user_id)))
        assert account.opening_balance == Decimal("1234.50") and account.institution == "Chase"
    again = client.post_form("/accounts/new", FORM, page="/accounts/new")
    assert again.status_code == 422 and "already have an account" in again.get_data(as_text=True)
    bad = client.post_form("/accounts/new", {**FORM, "name": "X", "opening_balance": "ten"},
                           page="/accounts/new")
    assert bad.status_code == 422 and "Enter an amount" in bad.get_data(as_text=True)


def test_edit_archive_restore_and_delete(app, client, user_id):
    account_id = _account(app, user_id, opening_balance=Decimal("5"))
    page = f"/accounts/{account_id}/edit"
    assert client.get(page).status_code == 200
    response = client.post_form(page, {**FORM, "name": "Renamed", "group_name": "Daily"},
                                page=page)
    assert response.status_code == 303
    detail = client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert "Renamed" in detail and f"/transactions?account={account_id}" in detail
    archived = client.post_form(f"/accounts/{account_id}/archive", {"archived": "1"}, page=page)
    assert archived.status_code == 303
    row = f'id="account-{account_id}"'
    assert row not in client.get("/accounts/").get_data(as_text=True)
    assert row in client.get("/accounts/?archived=1").get_data(as_text=True)
    client.post_form(f"/accounts/{account_id}/archive", {"archived": "0"}, page=page)
    assert row in client.get("/accounts/").get_data(as_text=True)
    assert "cannot be undone" in client.get(f"/accounts/{account_id}/delete").get_data(
        as_text=True)
    deleted = client.post_form(f"/accounts/{account_id}/delete", page=page)
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(Account, account_id) is None


def test_linked_account_detail_shows_the_difference(app, client, user_id):
    account_id = _account(app, user_id, source="plaid", synced_balance=Decimal("100.00"),
                          opening_balance=Decimal("90.00"))
    body = client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert "Bank-reported balance" in body and "+$10.00" in body


def test_net_worth_page_month_and_day_and_htmx_fragment(app, client, user_id):
    today = date.today()
    with app.app_context():
        account = make_account(user_id, "Main", opening_balance=Decimal("100.10"),
                               opening_date=today - timedelta(days=40))
        make_txn(account, "0.20", on=today - timedelta(days=2))
        make_account(user_id, "Card", type="credit_card", opening_balance=Decimal("-50"),
                     opening_date=today - timedelta(days=40))
        db.session.commit()
    body = client.get("/accounts/net-worth").get_data(as_text=True)
    assert 'data-chart="net-worth"' in body and '"currency": "USD"' in body
    assert "<table" in body and "$50.30" in body and "$50.10" in body
    daily = client.get("/accounts/net-worth?interval=day&range=3m").get_data(as_text=True)
    assert daily.count("<tr>") >= 40
    fragment = client.get("/accounts/net-worth?interval=day&range=all",
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="net-worth-history"')
    assert "at most a year" in fragment and "<html" not in fragment
    odd = client.get("/accounts/net-worth?interval=hourly&range=forever")
    assert odd.status_code == 200


def test_net_worth_page_reports_missing_rates(app, client, user_id):
    _account(app, user_id, name="Euro", currency="EUR", opening_balance=Decimal("10"),
             opening_date=date.today() - timedelta(days=3))
    body = client.get("/accounts/net-worth").get_data(as_text=True)
    assert "no EUR-&gt;USD rate on or before" in body


def test_rates_page_add_upload_and_delete(app, client, user_id):
    page = "/accounts/rates"
    assert client.get(page).status_code == 200
    added = client.post_form(page, {"date": "2024-03-01", "base": "EUR", "quote": "USD",
                                    "rate": "1.0842"}, page=page)
    assert added.status_code == 303
    bad = client.post_form(page, {"date": "2024-03-01", "base": "EUR", "quote": "USD",
                                  "rate": "lots"}, page=page)
    assert bad.status_code == 422
    csv = b"date,from,to,rate\n2024-03-02,EUR,USD,1.09\n2024-03-03,GBP,USD,zero\n"
    rejected = client.post_form(f"{page}/upload", {"file": (io.BytesIO(csv), "rates.csv")},
                                page=page, content_type="multipart/form-data")
    assert rejected.status_code == 422 and "Row 3" in rejected.get_data(as_text=True)
    csv = b"date,from,to,rate\n2024-03-02,EUR,USD,1.09\n2024-03-01,EUR,USD,1.08\n"
    uploaded = client.post_form(f"{page}/upload", {"file": (io.BytesIO(csv), "rates.csv")},
                                page=page, content_type="multipart/form-data")
    assert uploaded.status_code == 303
    with app.app_context():
        rows = db.session.scalars(select(ExchangeRate).order_by(ExchangeRate.date)).all()
        assert [(r.date.day, r.rate) for r in rows] == [(1, Decimal("1.08")), (2, Decimal("1.09"))]
        rate_id = rows[0].id
    body = client.get(page).get_data(as_text=True)
    assert f'id="rate-{rate_id}"' in body and ">1.08<" in body and ">1.0842<" not in body
    client.post_form(f"{page}/{rate_id}/delete", page=page)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 1


FOREIGN_ROUTES = [
    ("GET", "/accounts/{account}"),
    ("GET", "/accounts/{account}/edit"),
    ("POST", "/accounts/{account}/edit"),
    ("POST", "/accounts/{account}/archive"),
    ("GET", "/accounts/{account}/delete"),
    ("POST", "/accounts/{account}/delete"),
    ("POST", "/accounts/rates/{rate}/delete"),
]


@pytest.mark.parametrize(("method", "route"), FOREIGN_ROUTES)
def test_another_users_ids_are_not_found(app, client, user_id, method, route):
    with app.app_context():
        other = make_user("mallory@example.com")
        account = make_account(other.id, "Theirs")
        rate = currency.set_rate(db.session, scope_of(other), date(2024, 1, 1), "EUR", "USD",
                                 Decimal("1.1"))
        db.session.commit()
        path = route.format(account=account.id, rate=rate.id)
    token = client.csrf_token("/accounts/")
    data = {**FORM, "csrf_token": token} if method == "POST" else None
    response = client.open(path, method=method, data=data)
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Account, account.id).name == "Theirs"
        assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 1
