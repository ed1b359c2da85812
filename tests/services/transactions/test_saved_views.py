"""Saved views: named filters stored as normalized query strings, per user."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.services.errors import NotFound
from finance_app.services.transactions import saved_views
from finance_app.services.transactions.search import TransactionFilter
from tests.factories import make_user, scope_of


@pytest.fixture()
def alice(ctx):
    return make_user("alice@example.com")


def test_save_list_replace_and_delete_views(alice):
    amazon = saved_views.save_view(db.session, scope_of(alice), "Amazon over $100 in 2025",
                                   "?q=amazon&min=100&from=2025-01-01&to=2025-12-31&page=4")
    saved_views.save_view(db.session, scope_of(alice), "uncategorized last 90 days",
                          "category=uncategorized&days=90&bogus=1")
    db.session.commit()
    assert amazon.query == "q=amazon&min=100&from=2025-01-01&to=2025-12-31"
    names = [v.name for v in saved_views.list_views(db.session, scope_of(alice))]
    assert names == ["Amazon over $100 in 2025", "uncategorized last 90 days"]
    views = saved_views.list_views(db.session, scope_of(alice))
    flt = TransactionFilter.from_query_string(views[1].query)
    assert flt.category == "uncategorized" and flt.days == 90

    same = saved_views.save_view(db.session, scope_of(alice), "amazon OVER $100 in 2025",
                                 "q=amazon")
    assert same.id == amazon.id and same.query == "q=amazon"
    saved_views.delete_view(db.session, scope_of(alice), amazon.id)
    db.session.commit()
    assert [v.name for v in saved_views.list_views(db.session, scope_of(alice))] == [
        "uncategorized last 90 days"]


def test_views_are_private_and_need_a_name(alice):
    bob = make_user("bob@example.com")
    view = saved_views.save_view(db.session, scope_of(alice), "Mine", "q=x")
    with pytest.raises(NotFound):
        saved_views.delete_view(db.session, scope_of(bob), view.id)
    assert saved_views.list_views(db.session, scope_of(bob)) == []
    with pytest.raises(saved_views.ViewNameRequired):
        saved_views.save_view(db.session, scope_of(alice), "   ", "q=x")


def test_demo_views_are_idempotent_and_parse(alice):
    from datetime import date

    from tests.factories import make_category

    make_category(alice.id, "Subscriptions")
    first = saved_views.seed_demo_views(db.session, scope_of(alice), today=date(2025, 6, 1))
    again = saved_views.seed_demo_views(db.session, scope_of(alice), today=date(2025, 6, 1))
    views = saved_views.list_views(db.session, scope_of(alice))
    assert first == again == "5 saved transaction views" and len(views) == 5
    amazon = next(v for v in views if v.name == "Amazon over $100 in 2025")
    flt = TransactionFilter.from_query_string(amazon.query)
    assert flt.q == "amazon" and str(flt.amount_min) == "100" and not flt.problems
