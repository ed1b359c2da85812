"""`flask debts plan FILE.csv`: the exact lines it prints, `never`, and bad rows refused."""

from __future__ import annotations

import pytest

HEADER = "name,balance,apr,minimum\n"


@pytest.fixture()
def plan(app, tmp_path):
    def run(rows: str, *args: str):
        path = tmp_path / "debts.csv"
        path.write_text(HEADER + rows, encoding="utf-8")
        return app.test_cli_runner().invoke(
            args=["debts", "plan", str(path), *args])
    return run


def test_textbook_case(plan):
    result = plan("Loan,10000,5,200\n", "--strategy", "snowball")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Loan payoff_month=57 interest=1236.92",
                                          "months=57 total_interest=1236.92 order=Loan"]


THREE = "Visa,3000,24,90\nCar,8000,6,200\nMedical,1200,0,50\n"


def test_three_debts_snowball_and_avalanche_with_extra(plan):
    """Figures as in tests/services/debts/test_planner.py (checked there against a second
    implementation of the rule)."""
    snowball = plan(THREE, "--strategy", "snowball", "--extra", "150")
    assert snowball.exit_code == 0
    assert snowball.stdout.splitlines() == [
        "Visa payoff_month=17 interest=695.90", "Car payoff_month=28 interest=721.22",
        "Medical payoff_month=6 interest=0.00",
        "months=28 total_interest=1417.12 order=Medical,Visa,Car"]
    avalanche = plan(THREE, "--strategy", "avalanche", "--extra", "150")
    assert avalanche.stdout.splitlines() == [
        "Visa payoff_month=15 interest=487.18", "Car payoff_month=28 interest=699.70",
        "Medical payoff_month=24 interest=0.00",
        "months=28 total_interest=1186.88 order=Visa,Medical,Car"]


def test_a_plan_that_cannot_finish_ends_with_never(plan):
    result = plan("Small,100,5,10\nCard,10000,30,10\n", "--strategy", "avalanche")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["Small payoff_month=11 interest=2.37",
                                          "Card payoff_month=never interest=never", "never"]


@pytest.mark.parametrize(("rows", "words"), [
    ("A,100,5,10\nB,-5,3,10\n", "row 3 (B): The balance cannot be negative"),
    ("A,100,100.5,10\n", "row 2 (A): The APR must be between 0 and 100"),
    ("A,100,5,0\n", "row 2 (A): The minimum payment must be more than zero"),
    (",100,5,10\n", "row 2: A debt needs a name"),
])
def test_bad_rows_are_an_error_naming_the_row(plan, rows, words):
    result = plan(rows)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert words in result.stderr and result.stderr.startswith("Error: debts.csv: ")


def test_bad_extra_and_strategy(plan):
    negative = plan("A,100,5,10\n", "--extra", "-5")
    assert negative.exit_code == 1 and "zero or more" in negative.stderr
    words = plan("A,100,5,10\n", "--extra", "lots")
    assert words.exit_code == 1 and "not an amount" in words.stderr
    assert plan("A,100,5,10\n", "--strategy", "random").exit_code == 2
