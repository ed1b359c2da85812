"""The new-account step of an import takes its currency from the file, and asks when the file
does not say (a French export in 1.234,56 for a member whose currency is USD)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, ImportBatch, Transaction
from tests.factories import household_of

FRENCH = ("Date;Libellé;Montant\n03/11/2025;CARTE MONOPRIX PARIS;-1.234,56\n"
          "04/11/2025;VIR SALAIRE;2.000,00\n05/11/2025;CB BOULANGERIE;-4,20\n").encode()
EUROS = ("Date,Description,Amount\n11/03/2025,MONOPRIX,-12.50 €\n11/04/2025,SALARY,€2000.00\n"
         "11/05/2025,BAKERY,-4.20 €\n").encode()


def _new_account_upload(client, data: bytes, name: str, **extra: str):
    form = {"account": "new", "new_account_name": name, "new_account_type": "checking",
            "file": (io.BytesIO(data), name + ".csv"), "csrf_token": client.csrf_token("/import/"),
            **extra}
    return client.post("/import/", data=form, content_type="multipart/form-data")


def _accounts(app, user_id) -> list[tuple[str, str]]:
    with app.app_context():
        return [(a.name, a.currency) for a in db.session.scalars(
            select(Account).where(Account.household_id == household_of(user_id)))]


def test_a_file_that_names_no_currency_in_a_foreign_format_is_asked_about(app, client,
                                                                          user_id):
    response = _new_account_upload(client, FRENCH, "Compte courant")
    assert response.status_code == 422
    assert "does not say which currency it is in" in response.get_data(as_text=True)
    assert _accounts(app, user_id) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0

    answered = _new_account_upload(client, FRENCH, "Compte courant",
                                   new_account_currency="EUR")
    assert answered.status_code == 303
    assert _accounts(app, user_id) == [("Compte courant", "EUR")]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Transaction)) == 0


@pytest.mark.parametrize(("data", "currency"), [(EUROS, "EUR"),
                                                (b"Date,Description,Amount\n"
                                                 b"01/02/2025,SHOP,-12.50\n", "USD")])
def test_symbols_in_the_amounts_decide_and_a_plain_file_is_the_members_currency(
        app, client, user_id, data: bytes, currency: str):
    assert _new_account_upload(client, data, "Card").status_code == 303
    assert _accounts(app, user_id) == [("Card", currency)]


def test_the_members_choice_wins_over_the_file(app, client, user_id):
    assert _new_account_upload(client, EUROS, "Travel",
                               new_account_currency="CHF").status_code == 303
    assert _accounts(app, user_id) == [("Travel", "CHF")]
