"""Categories: the default tree, edits, and merges/deletes that keep every transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Category, SplitLine, Transaction
from finance_app.services import categories as svc
from finance_app.services.errors import NotFound
from tests.factories import household_of, make_account, make_txn, make_user, scope_of


def _leaf(user: Any, name: str) -> Category:
    found = svc.get_category_by_name(db.session, scope_of(user), name)
    assert found is not None and not found.is_group, name
    return found


def test_defaults_contain_the_categorizer_labels_as_leaves(ctx):
    user = make_user()
    tree = svc.list_tree(db.session, scope_of(user))
    leaves = {leaf.name for _, children in tree for leaf in children}
    assert set(svc.CATEGORIZER_LABELS) <= leaves
    assert len(svc.CATEGORIZER_LABELS) == 17
    assert 20 <= len(leaves) <= 30
    groups = {group.name for group, _ in tree}
    assert {"Income", "Housing", "Food", "Transfers", "Bills & subscriptions"} <= groups
    kinds = {leaf.name: leaf.kind for _, children in tree for leaf in children}
    assert kinds["Salary"] == kinds["Income"] == "income"
    assert kinds["Transfer"] == "transfer"
    assert kinds["Groceries"] == "expense"
    leaves_of_user = svc.list_leaves(db.session, scope_of(user))
    assert all(leaf.color.startswith("#") and leaf.icon for leaf in leaves_of_user)


def test_provisioning_is_idempotent(ctx):
    user = make_user()
    before = db.session.scalar(select(func.count()).select_from(Category))
    assert svc.create_default_categories(db.session, scope_of(user)) == 0
    assert db.session.scalar(select(func.count()).select_from(Category)) == before


def test_get_by_name_prefers_the_leaf_and_ignores_case_and_other_users(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    income = svc.get_category_by_name(db.session, scope_of(alice), "income")
    assert income is not None and income.parent_id is not None
    assert income.household_id == household_of(alice)
    theirs = svc.get_category_by_name(db.session, scope_of(bob), "Groceries")
    assert theirs.household_id == household_of(bob)
    assert svc.get_category_by_name(db.session, scope_of(alice), "Nope") is None


def test_create_rename_recolour_and_duplicates(ctx):
    user = make_user()
    food = next(g for g, _ in svc.list_tree(db.session, scope_of(user)) if g.name == "Food")
    coffee = svc.create_category(db.session, scope_of(user), "Coffee", parent_id=food.id)
    assert coffee.kind == "expense" and coffee.color == food.color
    with pytest.raises(svc.DuplicateCategory):
        svc.create_category(db.session, scope_of(user), "coffee", parent_id=food.id)
    svc.update_category(db.session, scope_of(user), coffee.id, name="Cafés", color="#112233")
    assert (coffee.name, coffee.color) == ("Cafés", "#112233")
    with pytest.raises(svc.ValidationFailed):
        svc.update_category(db.session, scope_of(user), coffee.id, color="red")
    with pytest.raises(svc.ValidationFailed):
        svc.create_category(db.session, scope_of(user), "Bad", parent_id=coffee.id)


def test_merge_moves_transactions_and_split_lines_and_keeps_them_all(ctx):
    user = make_user()
    restaurants, groceries = _leaf(user.id, "Restaurants"), _leaf(user.id, "Groceries")
    account = make_account(user.id)
    txns = [make_txn(account, "-10.00", category_id=restaurants.id) for _ in range(3)]
    split_parent = make_txn(account, "-30.00")
    db.session.add_all([
        SplitLine(transaction_id=split_parent.id, category_id=restaurants.id,
                  amount=Decimal("-20")),
        SplitLine(transaction_id=split_parent.id, category_id=groceries.id,
                  amount=Decimal("-10")),
    ])
    db.session.flush()
    moved = svc.merge_categories(db.session, scope_of(user), restaurants.id, groceries.id)
    assert moved == 3
    assert db.session.get(Category, restaurants.id) is None
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == 4
    assert {db.session.get(Transaction, t.id).category_id for t in txns} == {groceries.id}
    lines = db.session.scalars(select(SplitLine.category_id)).all()
    assert lines == [groceries.id, groceries.id]


def test_merge_refuses_groups_same_and_foreign(ctx):
    alice, bob = make_user("a@example.com"), make_user("b@example.com")
    food = next(g for g, _ in svc.list_tree(db.session, scope_of(alice)) if g.name == "Food")
    groceries = _leaf(alice.id, "Groceries")
    with pytest.raises(svc.InvalidMerge):
        svc.merge_categories(db.session, scope_of(alice), groceries.id, groceries.id)
    with pytest.raises(svc.InvalidMerge):
        svc.merge_categories(db.session, scope_of(alice), groceries.id, food.id)
    with pytest.raises(NotFound):
        svc.merge_categories(db.session, scope_of(alice), groceries.id, _leaf(bob.id, "Rent").id)


def test_delete_reassigns_or_uncategorizes_but_keeps_transactions(ctx):
    user = make_user()
    fees, taxes, shopping = (_leaf(user.id, n) for n in ("Fees", "Taxes", "Shopping"))
    account = make_account(user.id)
    a = make_txn(account, "-1.00", category_id=fees.id)
    b = make_txn(account, "-2.00", category_id=taxes.id)
    assert svc.delete_category(db.session, scope_of(user), fees.id, reassign_to=shopping.id) == 1
    assert svc.delete_category(db.session, scope_of(user), taxes.id) == 1
    assert db.session.get(Transaction, a.id).category_id == shopping.id
    assert db.session.get(Transaction, b.id).category_id is None
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == 2


def test_group_with_categories_cannot_be_deleted_until_emptied(ctx):
    user = make_user()
    tree = dict((g.name, (g, c)) for g, c in svc.list_tree(db.session, scope_of(user)))
    financial, children = tree["Financial"]
    with pytest.raises(svc.GroupNotEmpty):
        svc.delete_category(db.session, scope_of(user), financial.id)
    lifestyle = tree["Lifestyle"][0]
    for child in children:
        svc.update_category(db.session, scope_of(user), child.id, parent_id=lifestyle.id)
    svc.delete_category(db.session, scope_of(user), financial.id)
    assert db.session.get(Category, financial.id) is None
    assert _leaf(user.id, "Fees").parent_id == lifestyle.id


def test_usage_counts_transactions_and_split_lines(ctx):
    user = make_user()
    rent = _leaf(user.id, "Rent")
    account = make_account(user.id)
    parent = make_txn(account, "-5.00", category_id=rent.id)
    db.session.add(SplitLine(transaction_id=parent.id, category_id=rent.id, amount=Decimal("-5")))
    db.session.flush()
    assert svc.count_usage(db.session, scope_of(user)) == {rent.id: 2}
