"""Exchange rates: conversion with and without a rate, inverse rates, CSV upload, batch use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import ExchangeRate
from finance_app.services.ledger import rates as fx
from tests.factories import make_user, scope_of


def test_convert_uses_latest_rate_on_or_before_the_day(ctx):
    user = make_user()
    scope = scope_of(user)
    fx.set_rate(db.session, scope, date(2024, 1, 1), "EUR", "USD", Decimal("1.10"))
    fx.set_rate(db.session, scope, date(2024, 2, 1), "EUR", "USD", Decimal("1.20"))
    result = fx.convert(db.session, scope, Decimal("10.00"), "EUR", "USD", date(2024, 1, 31))
    assert result.converted == Decimal("11.0000") and result.rate_date == date(2024, 1, 1)
    result = fx.convert(db.session, scope, Decimal("10.00"), "EUR", "USD", date(2024, 3, 1))
    assert result.converted == Decimal("12.0000") and result.rate_date == date(2024, 2, 1)


def test_missing_rate_is_reported_not_guessed(ctx):
    user = make_user()
    scope = scope_of(user)
    fx.set_rate(db.session, scope, date(2024, 3, 2), "EUR", "USD", Decimal("1.10"))
    with pytest.raises(fx.MissingRate) as info:
        fx.convert(db.session, scope, Decimal("1"), "EUR", "USD", date(2024, 3, 1))
    assert str(info.value) == "no EUR->USD rate on or before 2024-03-01"
    with pytest.raises(fx.MissingRate):
        fx.convert(db.session, scope, Decimal("1"), "GBP", "USD", date(2024, 3, 5))


def test_inverse_rate_when_only_the_other_direction_exists(ctx):
    user = make_user()
    scope = scope_of(user)
    fx.set_rate(db.session, scope, date(2024, 1, 1), "USD", "EUR", Decimal("0.8"))
    result = fx.convert(db.session, scope, Decimal("8.00"), "EUR", "USD", date(2024, 6, 1))
    assert result.converted == Decimal("10.0000")


def test_same_currency_is_identity_and_rates_are_per_user(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    fx.set_rate(db.session, scope_of(alice), date(2024, 1, 1), "EUR", "USD", Decimal("1.1"))
    same = fx.convert(db.session, scope_of(bob), Decimal("0.30"), "USD", "USD", date(2024, 1, 1))
    assert same.converted == Decimal("0.30")
    with pytest.raises(fx.MissingRate):
        fx.convert(db.session, scope_of(bob), Decimal("1"), "EUR", "USD", date(2024, 2, 1))


def test_set_rate_replaces_the_same_day(ctx):
    user = make_user()
    scope = scope_of(user)
    fx.set_rate(db.session, scope, date(2024, 1, 1), "eur", "usd", Decimal("1.1"))
    fx.set_rate(db.session, scope, date(2024, 1, 1), "EUR", "USD", Decimal("1.2"))
    rows = db.session.scalars(select(ExchangeRate)).all()
    assert [(r.base, r.quote, r.rate) for r in rows] == [("EUR", "USD", Decimal("1.2"))]
    with pytest.raises(fx.ValidationFailed):
        fx.set_rate(db.session, scope, date(2024, 1, 1), "EUR", "EUR", Decimal("1"))
    with pytest.raises(fx.ValidationFailed):
        fx.set_rate(db.session, scope, date(2024, 1, 1), "EUR", "USD", Decimal("-1"))


def test_convert_many_one_lookup_per_pair_with_missing_report(ctx):
    user = make_user()
    scope = scope_of(user)
    fx.set_rate(db.session, scope, date(2024, 2, 1), "EUR", "USD", Decimal("1.25"))
    fx.set_rate(db.session, scope, date(2024, 2, 1), "GBP", "USD", Decimal("1.5"))
    rows = [
        (Decimal("4.00"), "EUR", date(2024, 2, 10)),
        (Decimal("0.10"), "USD", date(2024, 1, 1)),
        (Decimal("2.00"), "GBP", date(2024, 3, 1)),
        (Decimal("1.00"), "EUR", date(2024, 1, 15)),
        (Decimal("1.00"), "EUR", date(2024, 1, 10)),
    ]
    result = fx.convert_many(db.session, scope, rows, "USD")
    assert result.amounts == [Decimal("5.0000"), Decimal("0.10"), Decimal("3.0000"), None, None]
    assert [str(m) for m in result.missing] == ["no EUR->USD rate on or before 2024-01-10"]


def test_csv_upload_upserts_and_is_atomic(ctx):
    user = make_user()
    scope = scope_of(user)
    good = "date,from,to,rate\n2024-01-01,EUR,USD,1.1\n2024-01-02,GBP,USD,1.27\n"
    assert fx.import_rates_csv(db.session, scope, good.encode()) == fx.RateImport(2, 0)
    again = "Date,From,To,Rate\n2024-01-01,EUR,USD,1.15\n2024-01-03,EUR,USD,1.2\n"
    assert fx.import_rates_csv(db.session, scope, again) == fx.RateImport(1, 1)
    bad = "date,from,to,rate\n2024-02-01,EUR,USD,1.1\n2024-02-02,EUR,USD,abc\n"
    with pytest.raises(fx.RateFileError) as info:
        fx.import_rates_csv(db.session, scope, bad)
    assert "Row 3" in str(info.value) and "abc" in str(info.value)
    assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 3
    with pytest.raises(fx.RateFileError, match="Row 2"):
        fx.import_rates_csv(db.session, scope, "date,from,to,rate\n01/02/2024,EUR,USD,1\n")
    with pytest.raises(fx.RateFileError, match="columns"):
        fx.import_rates_csv(db.session, scope, "day,rate\n2024-01-01,1\n")
    assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 3


def test_one_rule_for_a_missing_rate_in_both_rate_readers(ctx):
    """The page rate book and the table provider answer alike: the latest rate on or before the
    day, and nothing (reported missing) before the first one."""
    from finance_app.models.ledger import ExchangeRate
    from finance_app.services.ledger.rates import RateBook, TableRateProvider
    from tests.factories import household_of, make_user, scope_of

    user = make_user("rates@example.com")
    db.session.add(ExchangeRate(household_id=household_of(user), date=date(2025, 3, 1),
                                base="EUR", quote="USD", rate=Decimal("1.10")))
    db.session.flush()
    scope = scope_of(user)
    book, table = RateBook(db.session, scope, "USD"), TableRateProvider(db.session, scope)
    days = [date(2025, 2, 28), date(2025, 3, 1), date(2025, 6, 1)]
    from_table = table.rates_for(days, "EUR", "USD")
    assert [book.rate("EUR", d) for d in days] == [
        None if from_table[d] is None else from_table[d].value for d in days]
    assert [book.rate("EUR", d) for d in days] == [None, Decimal("1.10"), Decimal("1.10")]
    assert book.missing == {"EUR"}
