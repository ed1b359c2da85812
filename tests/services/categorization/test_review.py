"""Tests for services/categorization/review.py: rows of one merchant are one question."""
# ruff: noqa: F811  (pytest fixtures imported from tests.categorization_fixtures)

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.categorization import MerchantMemory
from finance_app.models.ledger import Transaction
from finance_app.services.categorization import categorize, review
from finance_app.services.categorization.settings import EngineSettings
from tests.categorization_fixtures import (  # noqa: F401
    app_config,
    base_model_dir,
    model_dir,
    settings,
    small_base_model,
)
from tests.factories import category, imported, make_user, scope_of

STRICT = 1.01  # above any confidence: everything goes to review
CORNER_CAFE = ["CORNER NOOK 1123 SPRINGFIELD", "CORNER NOOK 8812 SPRINGFIELD",
               "CORNER NOOK #4471 SPRINGFIELD"]


def _queue(uid, raws, settings):
    rows = [imported(uid, raw, on=date(2025, 5, 1 + i))
            for i, raw in enumerate(raws)]
    strict = EngineSettings(model_dir=settings.model_dir, threshold=STRICT)
    categorize(db.session, scope_of(uid), rows, settings=strict)
    return rows


def test_rows_of_one_merchant_are_one_question_led_by_the_newest(ctx, settings):
    uid = make_user("groups@example.com").id
    cafe = _queue(uid, CORNER_CAFE, settings)
    other = _queue(uid, ["XQZ 7781 HOLDINGS"], settings)
    page = review.list_review(db.session, scope_of(uid))
    assert (page.total, page.questions) == (4, 2)
    by_lead = {item.txn.id: item for item in page.items}
    newest = cafe[-1]
    assert set(by_lead) == {newest.id, other[0].id}
    assert by_lead[newest.id].others == 2
    assert sorted(by_lead[newest.id].group_ids) == sorted(r.id for r in cafe)
    assert by_lead[other[0].id].others == 0
    assert by_lead[newest.id].suggestions  # the model's top-3 of the leading row


def test_one_answer_settles_every_row_of_the_merchant_and_becomes_memory(ctx, settings):
    uid = make_user("answer@example.com").id
    scope = scope_of(uid)
    cafe = _queue(uid, CORNER_CAFE, settings)
    other = _queue(uid, ["XQZ 7781 HOLDINGS"], settings)
    dining = category(uid, "Restaurants")
    review.accept(db.session, scope, cafe[0].id, dining.id)
    db.session.flush()
    for row in cafe:
        stored = db.session.get(Transaction, row.id)
        assert (stored.category_id, stored.category_source) == (dining.id, "user")
        assert stored.is_locked("category")
    assert db.session.get(Transaction, other[0].id).category_id is None
    memory = db.session.scalars(select(MerchantMemory).where(
        MerchantMemory.household_id == scope.household_id)).all()
    assert [(m.category_id, m.count) for m in memory] == [(dining.id, 3)]
    page = review.list_review(db.session, scope)
    assert (page.total, page.questions) == (1, 1)


def test_bulk_accept_files_each_selected_question_whole(ctx, settings):
    uid = make_user("bulk@example.com").id
    scope = scope_of(uid)
    cafe = _queue(uid, CORNER_CAFE, settings)
    other = _queue(uid, ["XQZ 7781 HOLDINGS"], settings)
    cafe_lead = next(i for i in review.list_review(db.session, scope).items if i.others == 2)
    top = cafe_lead.suggestions[0][0]
    assert review.accept_top(db.session, scope, [cafe_lead.txn.id]) == 3
    assert {db.session.get(Transaction, r.id).category_id for r in cafe} == {top.id}
    assert db.session.get(Transaction, other[0].id).category_id is None
