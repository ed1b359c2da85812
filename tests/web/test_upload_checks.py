"""The preview's questions, with and without JavaScript: the sign of a remembered layout, the
date order, dates ahead, and the number format; nothing is imported until they are answered."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.ledger import Account, ImportBatch, Transaction
from tests.factories import household_of
from tests.web.test_upload import _batch_id, _count, _mapping_fields, _upload

CARD = (b"Date,Description,Amount\n"
        b"01/02/2025,STARBUCKS,4.50\n01/03/2025,AMAZON,23.99\n01/04/2025,PAYMENT,-500.00\n"
        b"01/05/2025,SHELL,40.00\n")
CHECKING = (b"Date,Description,Amount\n"
            b"02/02/2025,BAKERY,-4.50\n02/03/2025,BOOKSHOP,-23.99\n02/04/2025,PAYROLL,2500.00\n"
            b"02/05/2025,GARAGE,-40.00\n")


def _account(app, user_id, name, type_="checking"):
    with app.app_context():
        account = Account(household_id=household_of(user_id), owner_id=user_id, name=name,
                          type=type_, currency="USD")
        db.session.add(account)
        db.session.commit()
        return account.id


def _fields(client, batch_id, **changes):
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    fields = {**_mapping_fields(page), **changes}
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    return fields


def _import(client, batch_id, **changes):
    return client.post(f"/import/{batch_id}/confirm", data=_fields(client, batch_id, **changes))


def test_a_remembered_card_sign_must_be_confirmed_for_a_checking_file(app, client, user_id):
    card = _account(app, user_id, "Visa", "credit_card")
    checking = _account(app, user_id, "Checking")
    assert _import(client, _batch_id(_upload(client, card, CARD, "card.csv"))).status_code == 303
    assert _count(app) == 4

    batch_id = _batch_id(_upload(client, checking, CHECKING, "checking.csv"))
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)

    assert 'id="sign-check"' in page and "Nothing is imported until you confirm it" in page
    assert "negative = money out, positive = money in" in page
    assert "-$4.50" in page and "+$2,500.00" in page
    refused = _import(client, batch_id)
    assert refused.status_code == 422
    assert "Please confirm which sign means money out" in refused.get_data(as_text=True)
    assert _count(app) == 4  # nothing more written

    # HTMX: ticking the box re-renders the region, now confirmed.
    fragment = client.post(f"/import/{batch_id}/preview",
                           data=_fields(client, batch_id, sign_confirmed="y"),
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="import-preview">')
    assert 'class="alert alert-success sign-check"' in fragment

    # Without JavaScript: the same box posted with the Import button.
    done = _import(client, batch_id, sign_confirmed="y")
    assert done.status_code == 303
    assert _count(app) == 8
    with app.app_context():
        amounts = sorted(db.session.scalars(
            select(Transaction.amount).where(Transaction.account_id == checking)))
        assert amounts[0] == Decimal("-40.00") and amounts[-1] == Decimal("2500.00")


def test_the_sign_question_can_be_answered_by_a_plain_post_to_the_preview(app, client, user_id):
    card = _account(app, user_id, "Visa", "credit_card")
    checking = _account(app, user_id, "Checking")
    _import(client, _batch_id(_upload(client, card, CARD, "card.csv")))
    batch_id = _batch_id(_upload(client, checking, CHECKING, "checking.csv"))

    # The user says the card convention was right after all, and confirms.
    response = client.post(f"/import/{batch_id}/preview",
                           data=_fields(client, batch_id, invert_sign="1", sign_confirmed="y"))
    assert response.status_code == 303
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    assert "positive = money out, negative = money in" in page and "+$4.50" in page

    assert _import(client, batch_id, sign_confirmed="y").status_code == 303
    assert _count(app) == 8


def test_ambiguous_dates_are_shown_and_the_order_can_be_changed(app, client, user_id):
    account = _account(app, user_id, "Checking")
    data = b"Date,Description,Amount\n01/02/03,A,-1.00\n02/03/03,B,-2.00\n03/04/03,C,-3.00\n"
    batch_id = _batch_id(_upload(client, account, data, "old.csv"))

    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    assert 'id="date-ambiguity"' in page
    assert "Feb 01, 2003 (day/month) or Jan 02, 2003 (month/day)" in page
    assert "read as <strong>month/day/year</strong>" in page  # today's default, now visible

    fragment = client.post(f"/import/{batch_id}/preview",
                           data=_fields(client, batch_id, date_order="DMY"),
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "read as <strong>day/month/year</strong>" in fragment and "Feb 01, 2003" in fragment
    response = client.post(f"/import/{batch_id}/preview",
                           data=_fields(client, batch_id, date_order="DMY"))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).mapping["date_order"] == "DMY"
    assert _count(app) == 0


def test_future_dates_and_the_number_format_are_shown(app, client, user_id):
    account = _account(app, user_id, "Konto")
    data = (b"Datum;Text;Betrag\n02.01.2025;Miete;-1.234,56\n03.01.2025;Laden;-12,00\n"
            b"03.01.2099;Gehalt;2.000,00\n13.01.2099;Strom;-50,00\n")
    batch_id = _batch_id(_upload(client, account, data, "konto.csv"))

    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)

    assert "Amounts are read as <strong>1.234,56</strong>" in page
    assert "-$1,234.56" in page and "+$2,000.00" in page
    assert 'id="future-dates"' in page and "2 rows are dated more than a week" in page
    assert "(rows 4, 5)" in page
    assert _count(app) == 0
