"""The question suite: each phrasing, the structured query it must read as, and its answer on
the fixed ledger of `ledger.py` (today 3 December 2026), worked out there by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from finance_app import create_app
from finance_app.extensions import db
from finance_app.services.ask.answer import ask
from finance_app.services.ask.query import AskQuery, Subject
from tests.conftest import _base_config, close_app_resources, truncate_all
from tests.factories import make_user, scope_of
from tests.services.ask.ledger import TODAY, build_ask_ledger

ALL = "1900-01-01"


@dataclass(frozen=True)
class Case:
    question: str
    measure: str
    what: str  # categories joined by "+", then "@merchant", then "#account"
    span: str  # "start..end"
    answer: str
    basis: str = "spent"
    versus: tuple[str, str] | None = None  # (what, span) of the other side


def side(subject: Subject) -> tuple[str, str]:
    what = "+".join(c.name for c in subject.categories)
    if subject.merchant:
        what += "@" + subject.merchant
    if subject.accounts:
        what += "#" + ",".join(a.name for a in subject.accounts)
    return what, f"{subject.range.start.isoformat()}..{subject.range.end.isoformat()}"


def shape(query: AskQuery) -> dict[str, Any]:
    what, span = side(query.subject)
    return {"measure": query.measure, "basis": query.basis, "what": what, "span": span,
            "versus": side(query.versus) if query.versus else None}


NOV, OCT = "2026-11-01..2026-11-30", "2026-10-01..2026-10-31"
Y2026, Y2025, Y2024 = "2026-01-01..2026-12-31", "2025-01-01..2025-12-31", "2024-01-01..2024-12-31"
Q2, Q3, Q4 = "2026-04-01..2026-06-30", "2026-07-01..2026-09-30", "2026-10-01..2026-12-31"
SINCE_MARCH, YTD = "2026-03-01..2026-12-03", "2026-01-01..2026-12-03"
EVER = f"{ALL}..2026-12-03"

CASES = [
    # Totals spent: the "restaurants last month", in many words.
    Case("how much did I spend on restaurants last month", "spent", "Restaurants", NOV, "80.00"),
    Case("How much did I spend on Restaurants last month?", "spent", "Restaurants", NOV, "80.00"),
    Case("restaurants last month", "spent", "Restaurants", NOV, "80.00"),
    Case("what did I spend at restaurants in november", "spent", "Restaurants", NOV, "80.00"),
    Case("spending on restaurants in Nov 2026", "spent", "Restaurants", NOV, "80.00"),
    Case("restaurant spending last month", "spent", "Restaurants", NOV, "80.00"),
    Case("how much went to restaurants in the previous month", "spent", "Restaurants", NOV,
         "80.00"),
    Case("resturants last month", "spent", "Restaurants", NOV, "80.00"),
    Case("how much did I spend on restaurants in october", "spent", "Restaurants", OCT, "100.00"),
    Case("restaurants oct 2026", "spent", "Restaurants", OCT, "100.00"),
    Case("restaurants from 1 october 2026 to 31 october 2026", "spent", "Restaurants", OCT,
         "100.00"),
    Case("restaurants between 2026-10-01 and 2026-11-30", "spent", "Restaurants",
         "2026-10-01..2026-11-30", "180.00"),
    Case("restaurants on my visa card in november", "spent", "Restaurants#Visa Card", NOV,
         "25.50"),
    Case("restaurants from checking last month", "spent", "Restaurants#Checking", NOV, "54.50"),
    Case("how much did I spend at Chipotle this year", "spent", "@Chipotle", Y2026, "55.50"),
    Case("how much did I spend on restaurants and coffee in october", "spent",
         "Restaurants+Coffee", OCT, "116.50"),
    Case("how much did I spend this quarter", "spent", "", Q4, "4851.50"),
    Case("spending in december 2025", "spent", "", "2025-12-01..2025-12-31", "75.00"),
    Case("spent on shopping in 2025", "spent", "Shopping", Y2025, "1019.99"),
    Case("how much did I spend on rent this year", "spent", "Rent", Y2026, "9000.00"),
    Case("rent in the first quarter", "spent", "Rent", "2026-01-01..2026-03-31", "0.00"),
    Case("how much did I spend last month", "spent", "", NOV, "1675.00"),
    # Dates of every kind.
    Case("groceries in the last 90 days", "spent", "Groceries", "2026-09-05..2026-12-03",
         "150.00"),
    Case("groceries in the past 30 days", "spent", "Groceries", "2026-11-04..2026-12-03",
         "90.00"),
    Case("groceries last week", "spent", "Groceries", "2026-11-23..2026-11-29", "0.00"),
    Case("spending this week", "spent", "", "2026-11-30..2026-12-06", "1500.00"),
    Case("how much did I spend yesterday", "spent", "", "2026-12-02..2026-12-02", "0.00"),
    Case("groceries since March", "spent", "Groceries", SINCE_MARCH, "330.00"),
    Case("groceries so far this year", "spent", "Groceries", YTD, "450.00"),
    Case("groceries year to date", "spent", "Groceries", YTD, "450.00"),
    Case("groceries ytd", "spent", "Groceries", YTD, "450.00"),
    Case("groceries last year", "spent", "Groceries", Y2025, "75.00"),
    Case("travel in 2024", "spent", "Travel", Y2024, "600.00"),
    Case("how much did I spend on travel during 2025", "spent", "Travel", Y2025, "850.00"),
    Case("groceries from march to june", "spent", "Groceries", "2026-03-01..2026-06-30",
         "180.00"),
    Case("coffee in the last 2 months", "spent", "Coffee", "2026-10-04..2026-12-03", "16.50"),
    Case("groceries over the last six months", "spent", "Groceries", "2026-06-04..2026-12-03",
         "250.00"),
    Case("how much did I spend on groceries from Jan 2026 to Mar 2026", "spent", "Groceries",
         "2026-01-01..2026-03-31", "200.00"),
    # Biggest purchases: a list, answered with its first item.
    Case("biggest purchases in 2025", "biggest", "", Y2025, "899.99"),
    Case("largest purchases in 2025", "biggest", "", Y2025, "899.99"),
    Case("top expenses this year", "biggest", "", Y2026, "1500.00"),
    Case("biggest purchases", "biggest", "", EVER, "1500.00"),
    Case("biggest amazon purchases", "biggest", "@Amazon", EVER, "899.99"),
    Case("most expensive purchases in 2024", "biggest", "", Y2024, "400.00"),
    Case("biggest travel expenses in 2025", "biggest", "Travel", Y2025, "500.00"),
    # Averages.
    Case("average grocery bill this year", "average", "Groceries", Y2026, "90.00"),
    Case("average groceries in 2026", "average", "Groceries", Y2026, "90.00"),
    Case("what's my average spend at Starbucks in october", "average", "@Starbucks", OCT,
         "5.50"),
    Case("average restaurant bill in october", "average", "Restaurants", OCT, "50.00"),
    Case("typical grocery bill in 2025", "average", "Groceries", Y2025, "75.00"),
    Case("avg coffee this year", "average", "Coffee", Y2026, "5.38"),
    # Comparisons: two merchants, two periods, two categories.
    Case("Amazon vs Target since March", "comparison", "@Amazon", SINCE_MARCH, "280.00 vs 100.00",
         versus=("@Target", SINCE_MARCH)),
    Case("amazon versus target since march 2026", "comparison", "@Amazon", SINCE_MARCH,
         "280.00 vs 100.00", versus=("@Target", SINCE_MARCH)),
    Case("Amazon compared to Target since March", "comparison", "@Amazon", SINCE_MARCH,
         "280.00 vs 100.00", versus=("@Target", SINCE_MARCH)),
    Case("spending on travel in 2024 vs 2025", "comparison", "Travel", Y2024, "600.00 vs 850.00",
         versus=("Travel", Y2025)),
    Case("travel 2024 vs 2025", "comparison", "Travel", Y2024, "600.00 vs 850.00",
         versus=("Travel", Y2025)),
    Case("restaurants this month vs last month", "comparison", "Restaurants",
         "2026-12-01..2026-12-31", "0.00 vs 80.00", versus=("Restaurants", NOV)),
    Case("groceries vs restaurants last month", "comparison", "Groceries", NOV,
         "90.00 vs 80.00", versus=("Restaurants", NOV)),
    Case("restaurants in october vs november", "comparison", "Restaurants", OCT,
         "100.00 vs 80.00", versus=("Restaurants", NOV)),
    Case("what did I earn in Q2 vs Q3", "comparison", "", Q2, "12000.50 vs 4000.00",
         basis="earned", versus=("", Q3)),
    Case("starbucks in october vs november", "comparison", "@Starbucks", OCT, "16.50 vs 5.00",
         versus=("@Starbucks", NOV)),
    Case("groceries 2025 vs 2026", "comparison", "Groceries", Y2025, "75.00 vs 450.00",
         versus=("Groceries", Y2026)),
    # Counts.
    Case("how many times did I go to Starbucks in October", "count", "@Starbucks", OCT, "3"),
    Case("how often did I go to starbucks in october", "count", "@Starbucks", OCT, "3"),
    Case("number of starbucks visits in october", "count", "@Starbucks", OCT, "3"),
    Case("how many times did I buy coffee this year", "count", "Coffee", Y2026, "4"),
    Case("how many purchases at amazon in 2026", "count", "@Amazon", Y2026, "3"),
    # Three restaurant rows (one a refund), one each of groceries, coffee and rent.
    Case("how many transactions last month", "count", "", NOV, "6"),
    Case("count of grocery trips this year", "count", "Groceries", Y2026, "5"),
    Case("how many times did I pay rent in 2026", "count", "Rent", Y2026, "6"),
    # Income.
    Case("what did I earn in Q2", "earned", "", Q2, "12000.50", basis="earned"),
    Case("how much did I earn in the second quarter", "earned", "", Q2, "12000.50",
         basis="earned"),
    Case("income in q2 2026", "earned", "", Q2, "12000.50", basis="earned"),
    Case("how much salary did I get in Q2", "earned", "", Q2, "12000.50", basis="earned"),
    Case("what did I earn this year", "earned", "", Y2026, "16000.50", basis="earned"),
    Case("earnings in july", "earned", "", "2026-07-01..2026-07-31", "4000.00", basis="earned"),
    Case("how much did I earn last quarter", "earned", "", Q3, "4000.00", basis="earned"),
    Case("what did I receive in may", "earned", "", "2026-05-01..2026-05-31", "4000.00",
         basis="earned"),
    Case("what did I earn year to date", "earned", "", YTD, "16000.50", basis="earned"),
    Case("income since april", "earned", "", "2026-04-01..2026-12-03", "16000.50",
         basis="earned"),
    # The largest category.
    Case("largest expense category last quarter", "top_category", "", Q3, "4500.00"),
    Case("biggest spending category in Q3", "top_category", "", Q3, "4500.00"),
    Case("which category did I spend the most on last month", "top_category", "", NOV,
         "1500.00"),
    Case("top category in october", "top_category", "", OCT, "1500.00"),
    Case("largest category in 2025", "top_category", "", Y2025, "1019.99"),
    Case("where did I spend the most in 2024", "top_category", "", Y2024, "600.00"),
    # The last time.
    Case("when did I last pay rent", "last", "Rent", EVER, "1500.00"),
    Case("when was my last starbucks", "last", "@Starbucks", EVER, "5.00"),
    Case("last time I went to target", "last", "@Target", EVER, "40.00"),
    Case("most recent amazon purchase", "last", "@Amazon", EVER, "30.00"),
    Case("when did I last get paid", "last", "", EVER, "4000.00", basis="earned"),
    Case("when did I last eat at chipotle", "last", "@Chipotle", EVER, "25.50"),
    Case("when did I last buy groceries", "last", "Groceries", EVER, "90.00"),
]

UNREADABLE = [
    "how much did I spend on unicorns last month",
    "hello there",
    "what is the weather",
    "",
    "restaurants in 2024 and 2025",
    "amazon and target last month",
    "tell me a joke",
    "how much did I spend 2025-02-30 to 2025-03-01",
    "how much did I spend in the last 0 days",
]


@pytest.fixture(scope="module")
def asked(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Ask Alice's household a question (the ledger is built once for the whole suite)."""
    app: Flask = create_app(_base_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        alice = make_user("alice@example.com")
        build_ask_ledger(alice)
        bob = make_user("bob@example.com", name="Bob")
        build_ask_ledger(bob)  # the same rows again: never part of Alice's answers
        db.session.commit()
        scope = scope_of(alice)

        def run(question: str) -> Any:
            return ask(db.session, scope, "USD", TODAY, question)

        yield run
    truncate_all(app)
    close_app_resources(app)


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) + len(UNREADABLE) >= 80
    assert len({c.question.lower() for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.question for c in CASES])
def test_question(asked: Any, case: Case) -> None:
    answer = asked(case.question)
    assert answer.reading.query is not None, (answer.reading.problem, answer.reading.unknown_words)
    assert shape(answer.reading.query) == {
        "measure": case.measure, "basis": case.basis, "what": case.what, "span": case.span,
        "versus": case.versus}
    assert answer.cli_answer == f"answer={case.answer}"


@pytest.mark.parametrize("question", UNREADABLE)
def test_a_question_it_cannot_read_gets_suggestions_not_a_guess(asked: Any,
                                                                 question: str) -> None:
    answer = asked(question)
    assert answer.reading.query is None
    assert answer.value is None
    assert answer.cli_answer == "answer=unknown"
    assert answer.reading.problem
    assert answer.reading.suggestions


def test_a_misspelled_name_is_suggested_in_the_question(asked: Any) -> None:
    answer = asked("how much did I spend on groc last month")
    assert answer.reading.unknown_words == ("groc",)
    assert "how much did i spend on groceries last month" in answer.reading.suggestions


def test_the_interpretation_in_words(asked: Any) -> None:
    assert asked("how much did I spend on restaurants in october").interpretation == \
        "Restaurants, 1-31 Oct 2026, total spent"
    assert asked("Amazon vs Target since March").interpretation == \
        "Amazon vs Target, 1 Mar-3 Dec 2026, total spent"
    assert asked("spending on travel in 2024 vs 2025").interpretation == \
        "Travel, 1 Jan-31 Dec 2024 vs 1 Jan-31 Dec 2025, total spent"


def test_the_lines_behind_an_answer_and_their_link(asked: Any) -> None:
    answer = asked("how much did I spend on restaurants last month")
    assert [(line.merchant, str(line.amount)) for line in answer.lines] == [
        ("Olive Garden", "-10.00"), ("Olive Garden", "64.50"), ("Chipotle", "25.50")]
    pairs = dict(answer.link)
    assert pairs["from"] == "2026-11-01" and pairs["to"] == "2026-11-30"
    assert pairs["category"].isdigit()
    biggest = asked("biggest purchases in 2025")
    assert [line.merchant for line in biggest.lines][:3] == ["Amazon", "Airbnb", "Delta"]
    assert dict(biggest.link)["kind"] == "expense"
    top = asked("largest category in 2025")
    assert [(f.label, str(f.amount)) for f in top.figures][:3] == [
        ("Shopping", "1019.99"), ("Travel", "850.00"), ("Groceries", "75.00")]
    last = asked("when did I last pay rent")
    assert last.note == "on 1 Dec 2026 at Landlord"


def test_each_side_of_a_comparison_links_to_its_own_transactions(asked: Any) -> None:
    answer = asked("Amazon vs Target since March")
    assert [dict(f.link)["q"] for f in answer.figures] == ["Amazon", "Target"]
    assert [f.count for f in answer.figures] == [2, 2]  # the excluded 999.00 is not one
    assert answer.link == ()
    assert answer.headline == "$280.00 vs $100.00"
