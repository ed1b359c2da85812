"""`flask ask --user EMAIL [--today YYYY-MM-DD] "QUESTION"`: the interpretation first and
`answer=X` last, on the fixed ledger of the question suite."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from tests.factories import make_user
from tests.services.ask.ledger import build_ask_ledger


@pytest.fixture()
def run(app):
    with app.app_context():
        build_ask_ledger(make_user("alice@example.com"))
        db.session.commit()

    def invoke(question: str, *extra: str):
        return app.test_cli_runner().invoke(
            args=["ask", "--user", "alice@example.com", *extra, question])
    return invoke


@pytest.mark.parametrize(("question", "first", "last"), [
    ("how much did I spend on restaurants last month",
     "Restaurants, 1-30 Nov 2026, total spent", "answer=80.00"),
    ("Amazon vs Target since March", "Amazon vs Target, 1 Mar-3 Dec 2026, total spent",
     "answer=280.00 vs 100.00"),
    ("how many times did I go to Starbucks in October",
     "Starbucks, 1-31 Oct 2026, number of transactions", "answer=3"),
    ("biggest purchases in 2025", "Everything, 1 Jan-31 Dec 2025, biggest purchases",
     "answer=899.99"),
    ("when did I last pay rent", "Rent, all time to 3 Dec 2026, last time", "answer=1500.00"),
])
def test_interpretation_first_answer_last(run, question, first, last):
    result = run(question, "--today", "2026-12-03")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == first
    assert lines[-1] == last


def test_today_moves_the_dates(run):
    result = run("how much did I spend on restaurants last month", "--today", "2026-11-15")
    assert result.stdout.splitlines()[0] == "Restaurants, 1-31 Oct 2026, total spent"
    assert result.stdout.splitlines()[-1] == "answer=100.00"


def test_a_question_it_cannot_read_is_unknown_with_suggestions(run):
    result = run("how much did I spend on unicorns", "--today", "2026-12-03")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "answer=unknown"
    assert any(line.startswith("  try: ") for line in lines)


def test_an_unknown_user_or_a_bad_date_is_an_error(app, run):
    result = app.test_cli_runner().invoke(args=["ask", "--user", "nobody@example.com", "rent"])
    assert result.exit_code == 1 and "no user nobody@example.com" in result.stderr
    result = run("rent", "--today", "31/12/2026")
    assert result.exit_code == 1 and "--today" in result.stderr
