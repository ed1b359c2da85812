from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, Transaction
from finance_app.money import (
    CURRENCIES,
    MoneyError,
    currency_choices,
    currency_label,
    format_money,
    parse_amount,
    precision_rule,
    quantize,
    to_decimal,
)
from tests.factories import make_account


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("(12.00)", "-12.00"),
        ("($12.34)", "-12.34"),
        ("-$12", "-12"),
        ("$-12.00", "-12.00"),
        ("12.00 CR", "12.00"),
        ("12.00 DR", "-12.00"),
        ("12.00-", "-12.00"),
        ("+3", "3"),
        ("-.50", "-0.50"),
        ("\u22125.00", "-5.00"),  # Unicode minus sign
        ("EUR 12,00", "12.00"),
        ("12.00 USD", "12.00"),
        ("12,50 €", "12.50"),
        ("£1,000", "1000"),
        ("CA$ 5", "5"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("CHF 1'234.50", "1234.50"),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "  ", "-", "()", "abc", "Total", "TARGET T-2853", "ABC-2853", "01/02/2025", "2025-01-02",
     "12:00:00", "tx_00000", "1e5", "--5", "+-5", "-5-", "(12", "-(5)", "12.00.00", "5-5"],
)
def test_parse_amount_refuses_anything_but_an_amount(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_forced_decimal_separator_resolves_thousands_ambiguity():
    assert parse_amount("1,234", ",") == Decimal("1.234")
    assert parse_amount("1,234") == Decimal("1234")


def test_to_decimal_refuses_floats():
    with pytest.raises(MoneyError):
        to_decimal(0.1)
    assert to_decimal("0.10") == Decimal("0.10")


def test_quantize_and_format():
    assert quantize(Decimal("2.675")) == Decimal("2.68")
    assert format_money(Decimal("-1234.5"), "EUR") == "-€1,234.50"


def test_currency_labels_and_precision_rules():
    assert currency_label("KWD") == "KWD — Kuwaiti Dinar"
    assert [code for code, _ in currency_choices()] == list(CURRENCIES)
    assert precision_rule("USD") == "USD amounts have at most 2 decimal places"
    assert precision_rule("JPY") == "JPY amounts have no decimal places"
    assert precision_rule("KWD") == "KWD amounts have at most 3 decimal places"


# ---------------------------------------------------------------- the rules at the forms

ACCOUNT_FORM = {"name": "Yen account", "type": "checking", "institution": "", "currency": "JPY",
                "opening_balance": "1234.5", "opening_date": "2024-01-01", "group_name": "",
                "color": "#4338ca", "icon": "bank", "include_in_net_worth": "y"}


def _accounts(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def test_the_account_form_refuses_an_opening_balance_finer_than_its_currency(app, client,
                                                                              user_id):
    page = client.get("/accounts/new").get_data(as_text=True)
    assert "KWD — Kuwaiti Dinar" in page and "JPY — Japanese Yen" in page
    before = _accounts(app)

    refused = client.post_form("/accounts/new", ACCOUNT_FORM, page="/accounts/new")

    assert refused.status_code == 422
    assert "JPY amounts have no decimal places: 1234.5 cannot be stored." in refused.get_data(
        as_text=True)
    assert _accounts(app) == before
    usd = client.post_form("/accounts/new", {**ACCOUNT_FORM, "currency": "USD",
                                             "opening_balance": "0.005"}, page="/accounts/new")
    assert usd.status_code == 422 and "USD amounts have at most 2 decimal places" in \
        usd.get_data(as_text=True)
    kwd = client.post_form("/accounts/new", {**ACCOUNT_FORM, "currency": "KWD",
                                             "opening_balance": "1.250"}, page="/accounts/new")
    assert kwd.status_code == 303 and _accounts(app) == before + 1


def test_the_transaction_form_refuses_an_amount_finer_than_the_accounts_currency(
    app, client, user_id
):
    with app.app_context():
        yen = make_account(user_id, "Yen", currency="JPY").id
        db.session.commit()
    form = {"account_id": yen, "date": "2025-01-05", "direction": "out", "merchant": "Cafe"}

    refused = client.post_form("/transactions/new", {**form, "amount": "1234.5"},
                               page="/transactions/new")
    created = client.post_form("/transactions/new", {**form, "amount": "1234"},
                               page="/transactions/new")

    assert refused.status_code == 422
    assert "JPY amounts have no decimal places" in refused.get_data(as_text=True)
    assert created.status_code == 303
    with app.app_context():
        assert list(db.session.scalars(select(Transaction.amount))) == [Decimal("-1234")]
