"""The review page and the learning loop through the web: correct -> retrain job -> next import."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from finance_app.extensions import db
from finance_app.models.categorization import CategorySuggestion, Rule, UserModelState
from finance_app.models.job import Job
from finance_app.models.ledger import Transaction
from finance_app.services.categorization import categorize
from finance_app.services.categorization.settings import EngineSettings
from tests.categorization_fixtures import app_config, base_model_dir, model_dir, small_base_model  # noqa: F401
from tests.factories import category, household_of, imported, scope_of

STRICT = 1.01  # above any confidence: everything goes to review
GROCERS = ["WHOLE FOODS MARKET 10", "SAFEWAY #1234", "KROGER 0042", "PUBLIX SUPER MARKETS 7",
           "ALDI 7781", "H MART 3219", "SPROUTS FARMERS MARKET 2", "WEGMANS 55"]


def queue(app, uid, raws, threshold=STRICT):
    """Import rows and categorize them the way the import job does; returns their ids."""
    with app.app_context():
        rows = [imported(uid, raw) for raw in raws]
        categorize(db.session, scope_of(uid), rows,
                   settings=EngineSettings(app.config["MODEL_DIR"], threshold))
        db.session.commit()
        return [r.id for r in rows]


def txn(app, txn_id):
    with app.app_context():
        row = db.session.get(Transaction, txn_id)
        db.session.expunge(row)
        return row


def cat_id(app, uid, name):
    with app.app_context():
        found = category(uid, name).id
        db.session.commit()
        return found


def test_review_lists_suggestions_and_one_click_accepts(app, client, user_id):
    first, _ = queue(app, user_id, ["SHELL OIL 5512", "CHEVRON 0042"])
    page = client.get("/review/").get_data(as_text=True)
    assert "SHELL OIL 5512" in page and 'data-review-key="1"' in page
    assert 'id="review-count"' in page and ">2</span>" in page
    with app.app_context():
        top = db.session.get(CategorySuggestion, first).suggestions[0][0]
    response = client.post_form(f"/review/{first}/accept", {"category_id": top}, page="/review/")
    assert response.status_code == 303
    accepted = txn(app, first)
    assert (accepted.category_id, accepted.category_source) == (top, "user")
    assert accepted.locked_fields == ["category"]
    page = client.get("/review/").get_data(as_text=True)
    assert "SHELL OIL 5512" not in page and "CHEVRON 0042" in page


def test_htmx_accept_removes_the_row_and_updates_the_badge(app, client, user_id):
    first, _ = queue(app, user_id, ["SHELL OIL 5512", "CHEVRON 0042"])
    token = client.csrf_token("/review/")
    response = client.post(f"/review/{first}/accept",
                           data={"category_id": cat_id(app, user_id, "Transport"),
                                 "csrf_token": token},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<tr" not in body
    assert 'id="review-count" hx-swap-oob="outerHTML"' in body and ">1</span>" in body


def test_bulk_accept_takes_each_top_suggestion(app, client, user_id):
    ids = queue(app, user_id, ["SHELL OIL 5512", "CHEVRON 0042", "SAFEWAY #1234"])
    with app.app_context():
        tops = {i: db.session.get(CategorySuggestion, i).suggestions[0][0] for i in ids}
    response = client.post_form("/review/accept-selected", {"ids": ids[:2]}, page="/review/")
    assert response.status_code == 303
    with app.app_context():
        rows = {i: db.session.get(Transaction, i) for i in ids}
        assert [rows[i].category_id for i in ids[:2]] == [tops[i] for i in ids[:2]]
        assert [rows[i].category_source for i in ids] == ["user", "user", None]
        assert db.session.get(CategorySuggestion, ids[2]) is not None
        assert db.session.get(CategorySuggestion, ids[0]) is None


def test_the_badge_costs_one_count_query_per_request(app, client, user_id):
    queue(app, user_id, ["SHELL OIL 5512"])
    statements = []
    with app.app_context():
        engine = db.engine

    def spy(conn, cursor, statement, *args):
        if "count(" in statement.lower() and "transactions" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", spy)
    try:
        page = client.get("/settings/profile").get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert 'id="review-count"' in page
    assert len(statements) == 1


def test_learning_loop_through_the_web(app, client, user_id):
    """Corrections on the transactions page and the review page -> a retrain job (inline) ->
    the next import is categorized the way this user categorizes."""
    food = cat_id(app, user_id, "Food")
    household = cat_id(app, user_id, "Household")
    ids = queue(app, user_id, [*GROCERS, "AMZN Mktp US*2K4L12"], threshold=0.8)
    for txn_id in ids[:4]:
        response = client.post_form(f"/transactions/{txn_id}/quick", {"category_id": food},
                                    page="/transactions/")
        assert response.status_code in (200, 303)
    for txn_id in ids[4:8]:
        client.post_form(f"/review/{txn_id}/accept", {"category_id": food}, page="/review/")
    client.post_form(f"/review/{ids[8]}/accept", {"category_id": household}, page="/review/")
    with app.app_context():
        jobs = db.session.scalars(select(Job).where(Job.name == "retrain categorizer")).all()
        assert len(jobs) == 1, "debounced: one retrain for a burst of corrections"
        assert jobs[0].status == "finished" and jobs[0].result["status"] == "trained"
        # the sweep catches up with the corrections made after the first retrain
        from finance_app.tasks.categorization import retrain_all_models

        assert retrain_all_models()["retrained"] == 1
        state = db.session.get(UserModelState, household_of(user_id))
        assert state.examples == 9

    new_ids = queue(app, user_id, ["AMAZON MKTPL*AIDPW5772C1", "GREEN VALLEY GROCERY MARKET 77"],
                    threshold=0.5)
    amazon, grocer = txn(app, new_ids[0]), txn(app, new_ids[1])
    assert (amazon.category_id, amazon.category_source) == (household, "history")
    assert (grocer.category_id, grocer.category_source) == (food, "model")


def test_rule_offer_after_two_corrections_creates_a_rule_in_one_click(app, client, user_id):
    household = cat_id(app, user_id, "Household")
    single = queue(app, user_id, ["AMZN Mktp US*2K4L12"])
    client.post_form(f"/review/{single[0]}/accept", {"category_id": household}, page="/review/")
    assert "Always do that?" not in client.get("/review/").get_data(as_text=True)
    with app.app_context():
        from finance_app.models.categorization import MerchantMemory

        db.session.execute(MerchantMemory.__table__.delete())
        db.session.commit()
    # two waiting rows of one merchant are one question: one answer files both, twice a choice
    ids = queue(app, user_id, ["AMZN Mktp US*9Q1Z00", "AMAZON MKTPL*AIDPW5772C1"])
    client.post_form(f"/review/{ids[0]}/accept", {"category_id": household}, page="/review/")
    assert txn(app, ids[1]).category_id == household
    page = client.get("/review/").get_data(as_text=True)
    assert "You put <strong>Amazon</strong> in <strong>Household</strong> 2 times" in page
    with app.app_context():
        from finance_app.models.categorization import MerchantMemory

        memory_id = db.session.scalar(select(MerchantMemory.id))
    response = client.post_form(f"/review/rule-offers/{memory_id}/create", page="/review/")
    assert response.status_code == 303
    with app.app_context():
        rule = db.session.scalar(select(Rule))
        assert rule.conditions == [{"field": "merchant", "op": "equals", "value": "Amazon"}]
        assert rule.actions["category_id"] == household
    assert "Always do that?" not in client.get("/review/").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/review/{txn}/accept", "/review/rule-offers/{memory}/create",
    "/review/rule-offers/{memory}/dismiss",
])
def test_another_users_ids_are_not_found(app, client, auth, path):
    owner = auth.create("owner@example.com")
    ids = queue(app, owner, ["AMZN Mktp US*2K4L12"])
    with app.app_context():
        from finance_app.models.categorization import MerchantMemory
        from finance_app.services.transactions import records as txn_service
        txn_service.update_transaction(db.session, scope_of(owner), ids[0],
                                       category_id=category(owner, "Household").id)
        db.session.commit()
        memory = db.session.scalar(select(MerchantMemory.id))
    intruder = auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    intruder_category = cat_id(app, intruder, "Travel")
    url = path.format(txn=ids[0], memory=memory)
    response = client.post_form(url, {"category_id": intruder_category}, page="/review/")
    assert response.status_code == 404


def test_rows_of_one_merchant_show_as_one_question(app, client, user_id):
    ids = queue(app, user_id, ["CORNER NOOK 1123 SPRINGFIELD", "CORNER NOOK 8812 SPRINGFIELD",
                               "XQZ 7781 HOLDINGS"])
    page = client.get("/review/").get_data(as_text=True)
    assert "2 questions (3 transactions) to review" in page
    assert 'data-review-others="1"' in page and "+1 more like this" in page
    response = client.post_form(f"/review/{ids[1]}/accept",
                                {"category_id": cat_id(app, user_id, "Restaurants")},
                                page="/review/")
    assert response.status_code == 303
    assert txn(app, ids[0]).category_source == "user" == txn(app, ids[1]).category_source
    assert "1 question (1 transaction) to review" in client.get("/review/").get_data(as_text=True)
