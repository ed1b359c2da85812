"""Debts pages: add, edit and delete a debt (bad input changes nothing), the plan page with its
strategy switch and extra amount as a GET form (full page, or the block for HTMX), the schedule
CSV read back, and a viewer's writes refused."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import Debt, Membership, User
from finance_app.models.household import VIEWER
from finance_app.services.debts import records
from tests.factories import household_of, make_account, make_txn, make_user, scope_of

FORM = {"name": "Visa", "kind": "credit_card", "account_id": "", "balance": "3,000.00",
        "currency": "USD", "apr": "24", "minimum_payment": "90", "custom_rank": "0"}
THREE = (("Visa", "3000", "24", "90"), ("Car", "8000", "6", "200"),
         ("Medical", "1200", "0", "50"))


def _debts(app, user_id, rows=THREE) -> dict[str, int]:
    with app.app_context():
        scope = scope_of(user_id)
        ids = {}
        for name, balance, apr, minimum in rows:
            ids[name] = records.create_debt(db.session, scope, records.DebtInput(
                name=name, balance=Decimal(balance), apr=Decimal(apr),
                minimum_payment=Decimal(minimum))).id
        db.session.commit()
        return ids


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Debt))


def test_empty_household_pages(client, user_id):
    index = client.get("/debts/").get_data(as_text=True)
    assert "No debts yet" in index and "Add your first debt" in index
    plan = client.get("/debts/plan").get_data(as_text=True)
    assert "add a debt" in plan and "data-spec" not in plan
    assert client.get("/debts/plan.csv").get_data(as_text=True).splitlines() == [
        "month,date,debt,start_balance,interest,payment,end_balance"]


def test_add_edit_and_delete_a_debt(app, client, user_id):
    assert "Add a debt" in client.get("/debts/new").get_data(as_text=True)
    added = client.post_form("/debts/new", FORM, page="/debts/new")
    assert added.status_code == 303 and added.headers["Location"].endswith("/debts/")
    with app.app_context():
        debt = db.session.scalar(select(Debt))
        assert (debt.balance, debt.apr, debt.minimum_payment, debt.household_id) == (
            Decimal("3000"), Decimal("24"), Decimal("90"), household_of(user_id))
        debt_id = debt.id
    listing = client.get("/debts/").get_data(as_text=True)
    assert f'id="debt-{debt_id}"' in listing and "$3,000.00" in listing and "24%" in listing
    page = f"/debts/{debt_id}/edit"
    form = client.get(page).get_data(as_text=True)
    assert 'value="3000.00"' in form and 'value="24"' in form
    saved = client.post_form(page, {**FORM, "name": "Visa gold", "apr": "19.99"}, page=page)
    assert saved.status_code == 303
    assert "Visa gold" in client.get("/debts/").get_data(as_text=True)
    assert "cannot be undone" in client.get(f"/debts/{debt_id}/delete").get_data(as_text=True)
    deleted = client.post_form(f"/debts/{debt_id}/delete", page=page)
    assert deleted.status_code == 303 and _count(app) == 0


@pytest.mark.parametrize(("change", "message"), [
    ({"balance": "-5"}, "cannot be negative"),
    ({"apr": "100.5"}, "between 0 and 100"),
    ({"minimum_payment": "0"}, "more than zero"),
    ({"name": ""}, "needs a name"),
    ({"balance": "lots"}, "Enter a number"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(app, client, user_id, change,
                                                             message):
    ids = _debts(app, user_id, THREE[:1])
    bad = client.post_form("/debts/new", {**FORM, "name": "Car", **change}, page="/debts/new")
    assert bad.status_code == 422 and message in bad.get_data(as_text=True)
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    page = f"/debts/{ids['Visa']}/edit"
    edited = client.post_form(page, {**FORM, **change}, page=page)
    assert edited.status_code == 422 and message in edited.get_data(as_text=True)
    assert _count(app) == 1
    with app.app_context():
        assert db.session.get(Debt, ids["Visa"]).balance == Decimal("3000")


def test_htmx_form_errors_come_back_as_the_form_block(app, client, user_id):
    token = client.csrf_token("/debts/new")
    response = client.post("/debts/new", data={**FORM, "apr": "300", "csrf_token": token},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and body.lstrip().startswith('<form id="debt-form"')
    ok = client.post("/debts/new", data={**FORM, "csrf_token": token},
                     headers={"HX-Request": "true"})
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith("/debts/")


def test_a_linked_debt_follows_its_account(app, client, user_id):
    with app.app_context():
        card = make_account(user_id, "Amex", type="credit_card",
                            opening_balance=Decimal("-400.00"))
        make_txn(card, "-25.50")
        make_account(user_id, "Checking")
        db.session.commit()
        card_id = card.id
    form = client.get("/debts/new").get_data(as_text=True)
    assert "Amex (Credit card, USD)" in form and "Checking (" not in form
    added = client.post_form("/debts/new", {**FORM, "name": "Amex", "account_id": str(card_id),
                                            "balance": "1"}, page="/debts/new")
    assert added.status_code == 303
    listing = client.get("/debts/").get_data(as_text=True)
    assert "$425.50" in listing and "follows" in listing
    plan = client.get("/debts/plan").get_data(as_text=True)
    assert "$425.50" in plan


def test_plan_page_strategy_switch_extra_and_htmx_block(app, client, user_id):
    _debts(app, user_id)
    snowball = client.get("/debts/plan?strategy=snowball&extra=150").get_data(as_text=True)
    assert 'data-strategy="snowball"' in snowball and "<html" in snowball
    assert "$1,417.12" in snowball and "28 months" in snowball
    assert 'data-chart="debt-timeline"' in snowball and 'id="timeline-table"' in snowball
    assert "&#34;8000.00&#34;" in snowball or '"8000.00"' in snowball  # amounts as strings
    # Against avalanche, snowball costs 230.24 more interest.
    assert "costs $230.24 more interest" in snowball
    avalanche = client.get("/debts/plan?strategy=avalanche&extra=150",
                           headers={"HX-Request": "true"})
    fragment = avalanche.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="debt-plan"') and "<html" not in fragment
    assert 'data-strategy="avalanche"' in fragment and "$1,186.88" in fragment
    assert "saves $230.24 interest" in fragment
    # The strategy form is a real GET form that works without JS.
    assert 'method="get"' in snowball and 'name="extra"' in snowball
    custom = client.get("/debts/plan?strategy=custom").get_data(as_text=True)
    assert "Against snowball" in custom and "Against avalanche" in custom


def test_plan_page_bad_extra_and_unknown_strategy(app, client, user_id):
    _debts(app, user_id)
    bad = client.get("/debts/plan?extra=-20")
    assert bad.status_code == 422 and "zero or more" in bad.get_data(as_text=True)
    words = client.get("/debts/plan?extra=lots")
    assert words.status_code == 422 and "number such as 150.00" in words.get_data(as_text=True)
    odd = client.get("/debts/plan?strategy=random")
    assert odd.status_code == 200 and 'data-strategy="snowball"' in odd.get_data(as_text=True)


def test_a_plan_that_never_ends_says_so(app, client, user_id):
    _debts(app, user_id, (("Card", "10000", "30", "200"),))
    body = client.get("/debts/plan").get_data(as_text=True)
    assert "never paid off at this payment" in body


def test_schedule_csv_download(app, client, user_id):
    _debts(app, user_id)
    response = client.get("/debts/plan.csv?strategy=avalanche&extra=150")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    assert "debt-payoff-avalanche.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    first = [r for r in rows if r["month"] == "1"]
    assert {r["debt"]: r["end_balance"] for r in first} == {
        "Visa": "2820.00", "Car": "7840.00", "Medical": "1150.00"}
    assert max(int(r["month"]) for r in rows) == 28
    assert sum(Decimal(r["interest"]) for r in rows) == Decimal("1186.88")
    assert all(r["end_balance"] == "0.00" for r in rows if r["month"] == "28")


def test_a_viewer_reads_but_cannot_write(app, auth, client):
    with app.app_context():
        owner = make_user("owner@example.com")
        household_id = household_of(owner)
    ids = _debts(app, owner.id)
    with app.app_context():
        viewer = make_user("val@example.com")
        db.session.add(Membership(household_id=household_id, user_id=viewer.id, role=VIEWER))
        db.session.get(User, viewer.id).current_household_id = household_id
        db.session.commit()
    auth.login("val@example.com")
    listing = client.get("/debts/").get_data(as_text=True)
    assert "Visa" in listing and "Add debt" not in listing and "/edit" not in listing
    assert client.get("/debts/plan").status_code == 200
    token = client.csrf_token("/debts/")
    for path in ("/debts/new", f"/debts/{ids['Visa']}/edit", f"/debts/{ids['Visa']}/delete"):
        response = client.post(path, data={**FORM, "name": "Mine", "csrf_token": token})
        assert response.status_code == 403, path
    assert _count(app) == 3
