"""The rules pages: create with preview, add a condition without JS, order, apply to the past."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.categorization import Rule
from finance_app.models.ledger import Transaction
from finance_app.services.categorization.rules import RuleInput, create_rule
from finance_app.services.transactions import records as txn_service
from tests.factories import account, category, imported, scope_of


def setup_rows(app, uid):
    with app.app_context():
        ids = [imported(uid, raw).id for raw in ("NETFLIX.COM 1", "NETFLIX.COM 2", "SAFEWAY 3")]
        subscriptions = category(uid, "Subscriptions").id
        mine = category(uid, "Entertainment").id
        txn_service.update_transaction(db.session, scope_of(uid), ids[0], category_id=mine)
        acct = account(uid).id
        db.session.commit()
        return ids, subscriptions, mine, acct


def form_data(subscriptions, **extra):
    data = {
        "name": "Streaming", "match": "all",
        "conditions-0-field": "description", "conditions-0-op": "contains",
        "conditions-0-value": "netflix",
        "conditions-1-field": "amount", "conditions-1-op": "out_between",
        "conditions-1-min": "", "conditions-1-max": "",
        "category_id": str(subscriptions), "tags": "streaming", "merchant": "",
        "is_active": "y",
    }
    data.update(extra)
    return data


def test_preview_then_save_and_apply_to_past(app, client, user_id):
    ids, subscriptions, mine, _ = setup_rows(app, user_id)
    page = client.post_form("/rules/new", form_data(subscriptions, preview="1"),
                            page="/rules/new")
    assert page.status_code == 200
    assert "Matches 2 existing transactions" in page.get_data(as_text=True)
    fragment = client.post_form("/rules/preview", form_data(subscriptions), page="/rules/new",
                                headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.startswith('<div id="rule-preview"') and "Matches 2" in fragment
    with app.app_context():
        assert db.session.scalar(select(Rule)) is None  # a preview saves nothing

    response = client.post_form("/rules/new", form_data(subscriptions, apply_to_past="y",
                                                        save="1"), page="/rules/new")
    assert response.status_code == 303 and "/rules/applying/" in response.location
    progress = client.get(response.location).get_data(as_text=True)
    assert 'id="job-progress"' in progress and 'data-status="finished"' in progress
    with app.app_context():
        rows = [db.session.get(Transaction, i) for i in ids]
        assert [r.category_id for r in rows] == [mine, subscriptions, None]
        assert [t.name for t in rows[1].tags] == ["streaming"]
        assert rows[0].category_source == "user"


def test_add_condition_row_without_javascript(app, client, user_id):
    _, subscriptions, _, _ = setup_rows(app, user_id)
    page = client.post_form("/rules/new", form_data(subscriptions, add_condition="1"),
                            page="/rules/new").get_data(as_text=True)
    assert 'name="conditions-2-field"' in page
    with app.app_context():
        assert db.session.scalar(select(Rule)) is None


def test_invalid_rule_is_shown_again_with_the_problem(app, client, user_id):
    _, subscriptions, _, _ = setup_rows(app, user_id)
    response = client.post_form("/rules/new", form_data(subscriptions, category_id="", tags=""),
                                page="/rules/new")
    assert response.status_code == 422
    assert "Choose what the rule does" in response.get_data(as_text=True)


def test_account_condition_and_reordering(app, client, user_id):
    _, subscriptions, _, acct = setup_rows(app, user_id)
    data = form_data(subscriptions, **{"conditions-0-field": "account", "conditions-0-op": "is",
                                       "conditions-0-account": str(acct), "save": "1"})
    assert client.post_form("/rules/new", data, page="/rules/new").status_code == 303
    with app.app_context():
        other = create_rule(db.session, scope_of(user_id), RuleInput(
            "Second", conditions=[{"field": "merchant", "op": "contains", "value": "x"}],
            merchant="X"))
        db.session.commit()
        first = db.session.scalar(select(Rule).where(Rule.name == "Streaming"))
        assert first.conditions[0] == {"field": "account", "op": "is", "value": acct}
        other_id = other.id
    client.post_form(f"/rules/{other_id}/move/up", page="/rules/")
    page = client.get("/rules/").get_data(as_text=True)
    assert page.index("Second") < page.index("Streaming")
    edit = client.get(f"/rules/{other_id}/edit").get_data(as_text=True)
    assert 'value="Second"' in edit


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/rules/{rule}/edit"), ("post", "/rules/{rule}/edit"),
    ("post", "/rules/{rule}/delete"), ("post", "/rules/{rule}/move/up"),
    ("post", "/rules/{rule}/apply"), ("get", "/rules/applying/{job}"),
])
def test_another_users_rules_are_not_found(app, client, auth, method, path):
    owner = auth.create("owner@example.com")
    with app.app_context():
        rule = create_rule(db.session, scope_of(owner), RuleInput(
            "Mine", conditions=[{"field": "description", "op": "contains", "value": "x"}],
            merchant="X"))
        db.session.commit()
        from finance_app.tasks.categorization import apply_rule_later

        job = apply_rule_later(scope_of(owner), rule.id)
        rule_id, job_id = rule.id, job.id
    auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    url = path.format(rule=rule_id, job=job_id)
    if method == "get":
        response = client.get(url)
    else:
        response = client.post_form(url, {"name": "Taken", "conditions-0-field": "description",
                                          "conditions-0-op": "contains",
                                          "conditions-0-value": "x", "merchant": "Y"},
                                    page="/rules/")
    assert response.status_code == 404
