"""The Ask page and box: a plain GET gives the full page with the answer (no JavaScript
needed), HTMX gets the answer alone, the box is on signed-in pages, and another household's
rows never reach an answer. Questions name their dates, so they do not depend on today."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from tests.factories import make_user
from tests.services.ask.ledger import build_ask_ledger

QUESTION = "how much did I spend on restaurants in october 2026"


@pytest.fixture()
def alice(app, auth):
    with app.app_context():
        build_ask_ledger(make_user("alice@example.com"))
        db.session.commit()
    auth.login("alice@example.com")


def test_a_plain_get_is_the_full_page_with_the_answer(client, alice):
    response = client.get("/ask/", query_string={"q": QUESTION})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html and 'id="ask-answer"' in html
    assert "Restaurants, 1-31 Oct 2026, total spent" in html
    assert "$100.00" in html
    assert f'value="{QUESTION}"' in html  # the question stays in the box
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_gets_the_answer_alone(client, alice):
    response = client.get("/ask/", query_string={"q": QUESTION},
                          headers={"HX-Request": "true", "HX-Target": "ask-answer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and "<nav" not in html
    assert "Restaurants, 1-31 Oct 2026, total spent" in html and "$100.00" in html


def test_the_answer_links_to_the_filtered_transactions(client, alice):
    html = client.get("/ask/", query_string={"q": QUESTION}).get_data(as_text=True)
    start = html.index('class="ask-link" href="') + len('class="ask-link" href="')
    link = html[start:html.index('"', start)].replace("&amp;", "&")
    assert link.startswith("/transactions/?from=2026-10-01&to=2026-10-31&category=")
    listed = client.get(link).get_data(as_text=True)
    assert "Chipotle" in listed and "Olive Garden" in listed
    assert "Whole Foods Market" not in listed


def test_a_comparison_and_a_list_on_the_page(client, alice):
    html = client.get("/ask/", query_string={"q": "travel 2024 vs 2025"}).get_data(as_text=True)
    assert "$600.00 vs $850.00" in html
    html = client.get("/ask/", query_string={"q": "biggest purchases in 2025"}).get_data(
        as_text=True)
    assert "$899.99" in html and "Amazon" in html and "Airbnb" in html


def test_a_question_it_cannot_read_shows_suggestions(client, alice):
    html = client.get("/ask/", query_string={"q": "spending on unicorns in 2025"}).get_data(
        as_text=True)
    assert "I don’t know" in html or "I don&#39;t know" in html or "I don't know" in html
    assert "unicorns" in html
    assert 'class="ask-suggestions' in html and "/ask/?q=" in html
    assert "ask-value" not in html  # no number at all, never a guess


def test_the_empty_page_shows_examples(client, alice):
    html = client.get("/ask/").get_data(as_text=True)
    assert 'class="ask-examples"' in html and "ask-card" not in html


def test_the_box_is_a_get_form_on_signed_in_pages(client, alice):
    html = client.get("/goals/").get_data(as_text=True)
    assert 'class="ask-form' in html and 'method="get" action="/ask/"' in html
    assert 'hx-get="/ask/"' in html and 'hx-target="#ask-answer"' in html


def test_the_box_is_not_shown_to_anonymous_visitors(client):
    assert 'class="ask-form' not in client.get("/auth/login").get_data(as_text=True)


def test_another_households_rows_never_appear(app, client, auth):
    with app.app_context():
        build_ask_ledger(make_user("alice@example.com"))
        make_user("bob@example.com", name="Bob")
        db.session.commit()
    auth.login("bob@example.com")
    html = client.get("/ask/", query_string={"q": "biggest purchases in 2025"}).get_data(
        as_text=True)
    assert "Nothing found" in html and "$899.99" not in html and "Amazon" not in html
    html = client.get("/ask/", query_string={"q": "how much did I spend at Starbucks in 2026"}
                      ).get_data(as_text=True)
    # Alice's merchants are not Bob's names: not read, not counted.
    assert "starbucks" in html.lower() and "ask-value" not in html
    html = client.get("/ask/", query_string={"q": "how much did I spend in 2026"}).get_data(
        as_text=True)
    assert "$0.00" in html
