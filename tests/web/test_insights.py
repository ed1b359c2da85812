"""The savings page over HTTP: list, "this is fine" (plain and HTMX), look again as a job, and
another household's recommendation is a 404."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.insight import Insight
from finance_app.services.insights.store import refresh_insights
from tests.factories import household_of, scope_of
from tests.services.insights.test_recommendations import TODAY, build_ledger


def _refreshed(app, user_id) -> list[int]:
    with app.app_context():
        build_ledger(user_id)
        refresh_insights(db.session, scope_of(user_id), "USD", TODAY)
        db.session.commit()
        return list(db.session.scalars(select(Insight.id).order_by(Insight.rank.desc())))


def test_the_page_lists_them_with_links_to_their_transactions(app, client, user_id):
    _refreshed(app, user_id)
    html = client.get("/insights/").get_data(as_text=True)
    assert 'id="insights"' in html and "Groceries +33 % vs your 6-month median" in html
    assert "$30.00 in fees this year" in html
    assert 'href="/transactions/?q=Amazon&amp;from=' in html
    assert html.count('class="list-group-item insight"') == 6


def test_this_is_fine_dismisses_for_good(app, client, user_id):
    ids = _refreshed(app, user_id)
    response = client.post_form(f"/insights/{ids[0]}/dismiss", {}, page="/insights/")
    assert response.status_code == 303
    html = client.get("/insights/").get_data(as_text=True)
    assert f'id="insight-{ids[0]}"' not in html and "1 dismissed recommendation" in html
    response = client.post_form(f"/insights/{ids[1]}/dismiss", {}, page="/insights/",
                                headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.get_data(as_text=True) == ""
    with app.app_context():
        assert db.session.scalar(select(Insight.dismissed_by_id).where(
            Insight.id == ids[1])) == user_id


def test_dismissing_needs_a_csrf_token(app, client, user_id):
    ids = _refreshed(app, user_id)
    client.post(f"/insights/{ids[0]}/dismiss", data={})
    with app.app_context():
        assert db.session.get(Insight, ids[0]).dismissed_at is None


def test_look_again_runs_the_job_and_shows_its_progress(app, client, user_id):
    with app.app_context():
        build_ledger(user_id)
    response = client.post_form("/insights/refresh", {}, page="/insights/")
    assert response.status_code == 303 and "/insights/refreshing/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="finished"' in page and "See the recommendations" in page
    with app.app_context():
        assert db.session.scalars(select(Insight).where(
            Insight.household_id == household_of(user_id))).all()


def test_an_empty_household_is_told_what_will_appear(client, user_id):
    html = client.get("/insights/").get_data(as_text=True)
    assert 'id="insights-empty"' in html and "after your first import" in html


def test_another_households_recommendation_is_not_found(app, client, auth, user_id):
    stranger = auth.create("stranger@example.com")
    ids = _refreshed(app, stranger)
    response = client.post_form(f"/insights/{ids[0]}/dismiss", {}, page="/insights/")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Insight, ids[0]).dismissed_at is None
    assert "Groceries" not in client.get("/insights/").get_data(as_text=True)


def test_the_dashboard_shows_the_best_three(app, client, user_id):
    ids = _refreshed(app, user_id)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="top-insights"' in html
    assert html.count('class="list-group-item insight"') == 3
    assert f'id="insight-{ids[0]}"' in html and f'id="insight-{ids[3]}"' not in html
