"""Categories page: tree, add, inline edit (HTMX and plain), merge, delete, and 404 sweeps."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Category, Transaction
from finance_app.services.categories import get_category_by_name
from tests.factories import make_account, make_txn, make_user, scope_of


def _id(app, user_id: int, name: str) -> int:
    with app.app_context():
        return get_category_by_name(db.session, scope_of(user_id), name).id


def test_tree_lists_groups_categories_and_usage(app, client, user_id):
    with app.app_context():
        account = make_account(user_id)
        groceries = get_category_by_name(db.session, scope_of(user_id), "Groceries")
        make_txn(account, "-1.00", category_id=groceries.id)
        db.session.commit()
    body = client.get("/categories/").get_data(as_text=True)
    for name in ("Bills &amp; subscriptions", "Groceries", "Personal Care", "Transfers"):
        assert name in body
    assert "1 transaction<" in body.replace("</span>", "<")


def test_add_group_then_category_and_duplicate(app, client, user_id):
    page = "/categories/"
    assert client.post_form("/categories/new", {"name": "Pets", "parent_id": "",
                                                "kind": "expense", "color": "#123456"},
                            page=page).status_code == 303
    pets = _id(app, user_id, "Pets")
    response = client.post_form("/categories/new", {"name": "Vet", "parent_id": str(pets),
                                                    "kind": "expense", "color": "#654321"},
                                page=page)
    assert response.status_code == 303
    dup = client.post_form("/categories/new", {"name": "vet", "parent_id": str(pets),
                                               "kind": "expense", "color": "#654321"}, page=page)
    assert dup.status_code == 422 and "already a category" in dup.get_data(as_text=True)
    with app.app_context():
        vet = get_category_by_name(db.session, scope_of(user_id), "Vet")
        assert vet.parent_id == pets and vet.color == "#654321"


def test_inline_edit_fragment_and_plain_post(app, client, user_id):
    rent = _id(app, user_id, "Rent")
    fragment = client.get(f"/categories/{rent}/edit", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<form id="category-edit-form"')
    full = client.get(f"/categories/{rent}/edit").get_data(as_text=True)
    assert "<html" in full
    housing = _id(app, user_id, "Housing")
    response = client.post_form(f"/categories/{rent}/edit", {
        "name": "Rent & deposits", "color": "#aa0000", "kind": "expense",
        "parent_id": str(housing)}, page=f"/categories/{rent}/edit")
    assert response.status_code == 303
    bad = client.post_form(f"/categories/{rent}/edit", {
        "name": "X", "color": "red", "kind": "expense", "parent_id": str(housing)},
        page=f"/categories/{rent}/edit", headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "Pick a colour" in bad.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Category, rent)
        assert (row.name, row.color) == ("Rent & deposits", "#aa0000")


def test_merge_and_delete_keep_every_transaction(app, client, user_id):
    coffee_ids = {}
    with app.app_context():
        account = make_account(user_id)
        for name in ("Restaurants", "Groceries", "Fees"):
            coffee_ids[name] = get_category_by_name(db.session, scope_of(user_id), name).id
            make_txn(account, "-2.00", category_id=coffee_ids[name])
        db.session.commit()
    merge_page = f"/categories/{coffee_ids['Restaurants']}/merge"
    assert "Merge" in client.get(merge_page).get_data(as_text=True)
    assert client.post_form(merge_page, {"target_id": str(coffee_ids["Groceries"])},
                            page=merge_page).status_code == 303
    delete_page = f"/categories/{coffee_ids['Fees']}/delete"
    assert client.post_form(delete_page, {"reassign_to": str(coffee_ids["Groceries"])},
                            page=delete_page).status_code == 303
    with app.app_context():
        categories = db.session.scalars(select(Transaction.category_id)).all()
        assert categories == [coffee_ids["Groceries"]] * 3
        assert db.session.get(Category, coffee_ids["Fees"]) is None


def test_group_with_categories_explains_instead_of_deleting(app, client, user_id):
    food = _id(app, user_id, "Food")
    page = f"/categories/{food}/delete"
    assert "still has categories" in client.get(page).get_data(as_text=True)
    response = client.post_form(page, {"reassign_to": ""}, page=page)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Category, food) is not None


FOREIGN_ROUTES = [
    ("GET", "/categories/{id}/edit"),
    ("POST", "/categories/{id}/edit"),
    ("GET", "/categories/{id}/merge"),
    ("POST", "/categories/{id}/merge"),
    ("GET", "/categories/{id}/delete"),
    ("POST", "/categories/{id}/delete"),
]


@pytest.mark.parametrize(("method", "route"), FOREIGN_ROUTES)
def test_another_users_category_is_not_found(app, client, user_id, method, route):
    with app.app_context():
        other = make_user("mallory@example.com")
        theirs = get_category_by_name(db.session, scope_of(other.id), "Travel").id
        before = db.session.scalar(select(func.count()).select_from(Category))
    data = None
    if method == "POST":
        data = {"csrf_token": client.csrf_token("/categories/"), "name": "Mine",
                "color": "#000000", "kind": "expense", "parent_id": "", "reassign_to": "",
                "target_id": str(_id(app, user_id, "Shopping"))}
    response = client.open(route.format(id=theirs), method=method, data=data)
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Category)) == before
        assert db.session.get(Category, theirs).name == "Travel"


def test_merging_into_another_users_category_is_not_found(app, client, user_id):
    with app.app_context():
        other = make_user("mallory@example.com")
        theirs = get_category_by_name(db.session, scope_of(other.id), "Travel").id
    mine = _id(app, user_id, "Shopping")
    page = f"/categories/{mine}/merge"
    response = client.post_form(page, {"target_id": str(theirs)}, page=page)
    assert response.status_code in (404, 422)
    with app.app_context():
        assert db.session.get(Category, mine) is not None
