"""The transactions query: filter parsing round trip, each filter, sorting, paging and totals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from finance_app.extensions import db
from finance_app.services.transactions.search import TransactionFilter, search_transactions
from finance_app.services.transactions.splits import SplitInput, split_transaction
from finance_app.services.transactions.tagging import tags_by_name
from finance_app.services.transactions.transfers import link_transfer
from tests.factories import make_account, make_category, make_txn, make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def _find(user, query, **kwargs):
    return search_transactions(db.session, scope_of(user),
                               TransactionFilter.from_query_string(query), **kwargs)


def _merchants(result):
    return [t.merchant for t in result.items]


def test_filter_round_trips_through_the_query_string_and_reports_bad_values():
    query = ("q=amazon+prime&account=3&account=1&category=uncategorized&tag=4&min=100&max=250.5"
             "&from=2025-01-01&to=2025-12-31&days=90&kind=expense&pending=no&excluded=yes"
             "&sort=amount&dir=asc&page=3")
    flt = TransactionFilter.from_query_string(query)
    assert flt.accounts == [1, 3] and flt.amount_min == Decimal("100")
    assert TransactionFilter.from_query_string(flt.to_query_string()) == flt
    assert "page" not in flt.to_query_string(page=False)
    bad = TransactionFilter.from_query_string("min=lots&from=31/12/2025&kind=weird&page=-2")
    assert bad.amount_min is None and bad.date_from is None and bad.kind == "" and bad.page == 1
    assert len(bad.problems) == 2 and not bad.is_filtered
    assert TransactionFilter.from_query_string("sort=amount").is_filtered is False


def test_text_search_covers_merchant_description_and_notes_and_escapes_wildcards(alice):
    account = make_account(alice.id)
    make_txn(account, "-1", merchant="Amazon", raw_description="AMZN MKTP")
    make_txn(account, "-2", merchant="Books", raw_description="amazon.com*books")
    make_txn(account, "-3", merchant="Gift", notes="bought on Amazon for Sam")
    make_txn(account, "-4", merchant="100% Juice")
    make_txn(account, "-5", merchant="Grocer")
    assert sorted(_merchants(_find(alice.id, "q=AMAZON"))) == ["Amazon", "Books", "Gift"]
    assert _merchants(_find(alice.id, "q=amazon+sam")) == ["Gift"]
    assert _merchants(_find(alice.id, "q=100%25")) == ["100% Juice"]
    assert _merchants(_find(alice.id, "q=_")) == []


def test_filters_by_account_category_group_tag_amount_date_kind_and_flags(alice):
    checking, card = make_account(alice.id), make_account(alice.id, "Card")
    food = make_category(alice.id, "Food")
    groceries = make_category(alice.id, "Groceries", parent=food)
    rent = make_category(alice.id, "Rent")
    make_txn(checking, "-150.00", date(2025, 1, 5), "Big grocer", category_id=groceries.id)
    make_txn(card, "-20.00", date(2025, 2, 5), "Small grocer", category_id=groceries.id)
    make_txn(checking, "-1200.00", date(2025, 2, 1), "Landlord", category_id=rent.id)
    make_txn(checking, "2500.00", date(2025, 2, 28), "Payroll")
    make_txn(card, "-9.99", date(2025, 3, 1), "Pending", is_pending=True)
    make_txn(card, "-3.00", date(2025, 3, 2), "Hidden", is_excluded=True)
    mixed = make_txn(checking, "-100.00", date(2025, 3, 3), "Mixed")
    split_transaction(db.session, scope_of(alice), mixed.id, [
        SplitInput(Decimal("-60"), groceries.id), SplitInput(Decimal("-40"), rent.id)])
    tagged = make_txn(card, "-1.00", date(2025, 3, 4), "Tagged")
    tagged.tags = tags_by_name(db.session, scope_of(alice), ["trip"])
    out, into = make_txn(checking, "-50.00", merchant="Out"), make_txn(card, "50.00", merchant="In")
    link_transfer(db.session, scope_of(alice), out.id, into.id)
    db.session.flush()
    tag_id = tagged.tags[0].id

    def names(query):
        return sorted(_merchants(_find(alice.id, query)))

    assert names(f"account={card.id}") == sorted(
        ["Small grocer", "Pending", "Hidden", "Tagged", "In"])
    assert names(f"category={groceries.id}") == ["Big grocer", "Mixed", "Small grocer"]
    assert names(f"category={food.id}") == ["Big grocer", "Mixed", "Small grocer"]
    assert names("category=uncategorized&kind=expense") == [
        "Hidden", "Pending", "Tagged"]
    assert names(f"tag={tag_id}") == ["Tagged"]
    assert names("min=100&max=1200") == ["Big grocer", "Landlord", "Mixed"]
    assert names("from=2025-02-01&to=2025-02-28") == ["Landlord", "Payroll", "Small grocer"]
    assert names("kind=income") == ["Payroll"]
    assert names("kind=transfer") == ["In", "Out"]
    assert names("pending=yes") == ["Pending"]
    assert "Hidden" not in names("excluded=no")


def test_days_filter_is_relative_to_today(alice):
    account = make_account(alice.id)
    today = date(2025, 6, 30)
    make_txn(account, "-1", today - timedelta(days=89), "Recent")
    make_txn(account, "-1", today - timedelta(days=90), "Old")
    flt = TransactionFilter.from_query_string("days=90")
    found = search_transactions(db.session, scope_of(alice), flt, today=today)
    assert _merchants(found) == ["Recent"]


def test_sorting_and_pagination_are_stable_and_complete(alice):
    account = make_account(alice.id)
    for i in range(7):
        make_txn(account, f"-{i + 1}.00", date(2025, 1, 1 + i % 3), f"M{i}")
    seen = []
    for page in (1, 2, 3):
        result = _find(alice.id, f"sort=date&dir=asc&page={page}", page_size=3)
        assert result.pages == 3 and result.count == 7
        seen += [(t.date, t.id) for t in result.items]
    assert seen == sorted(seen) and len(set(seen)) == 7
    by_amount = _find(alice.id, "sort=amount&dir=asc")
    assert [t.amount for t in by_amount.items][:2] == [Decimal("-7.00"), Decimal("-6.00")]
    by_merchant = _find(alice.id, "sort=merchant&dir=desc")
    assert _merchants(by_merchant)[0] == "M6"
    past_end = _find(alice.id, "page=99", page_size=3)
    assert past_end.page == 3 and len(past_end.items) == 1


def test_totals_are_exact_per_currency_and_scoped_to_the_user(alice):
    bob = make_user("bob@example.com")
    usd, eur = make_account(alice.id), make_account(alice.id, "EU", currency="EUR")
    make_txn(usd, "0.10")
    make_txn(usd, "0.20")
    make_txn(eur, "-5.55")
    make_txn(make_account(bob.id), "-999.00")
    result = _find(alice.id, "")
    assert result.count == 3
    assert [(t.currency, t.count, t.total) for t in result.totals] == [
        ("EUR", 1, Decimal("-5.55")), ("USD", 2, Decimal("0.30"))]


def test_search_on_sqlite_matches_postgresql_semantics(tmp_path, make_app):
    """SQLite takes other paths (plain LIKE, conditional sums): same answers, exact money."""
    from flask_migrate import upgrade

    from finance_app.models.user import User

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'search.sqlite3'}")
    with app.app_context():
        upgrade(revision="heads")
        user = User(email="s@example.com", password_hash="x", name="S")
        db.session.add(user)
        db.session.flush()
        usd, eur = make_account(user.id), make_account(user.id, "EU", currency="EUR")
        make_txn(usd, "0.10", merchant="AMAZON refund")
        make_txn(usd, "0.20", merchant="Shop", notes="amazon gift")
        make_txn(eur, "-5.55", merchant="Amazon.de")
        make_txn(usd, "-1.00", merchant="100% Juice")
        db.session.commit()
        result = _find(user.id, "q=amazon")
        assert [(t.currency, t.count, t.total) for t in result.totals] == [
            ("EUR", 1, Decimal("-5.55")), ("USD", 2, Decimal("0.30"))]
        assert _merchants(_find(user.id, "q=100%25")) == ["100% Juice"]
        assert len(_find(user.id, "sort=amount&dir=asc&page=2", page_size=3).items) == 1
