"""Reading a debts CSV for the CLI (a bad row is named) and the lines the CLI prints."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finance_app.services.debts.planfile import PlanFileError, plan_lines, read_debts_csv
from finance_app.services.debts.planner import AVALANCHE, DebtSpec, plan_payoff


def test_reads_rows_with_a_bom_blank_lines_percent_signs_and_extra_columns():
    text = ("\ufeffName,Balance,APR,Minimum,notes\n"
            "Visa,\"2,500.00\",22.99%,75,x\n\nCar,9000,6.5,250,\n")
    assert read_debts_csv(text) == [
        DebtSpec("Visa", Decimal("2500.00"), Decimal("22.99"), Decimal("75")),
        DebtSpec("Car", Decimal("9000"), Decimal("6.5"), Decimal("250"))]


@pytest.mark.parametrize(("body", "message"), [
    ("A,100,5,10\nB,-5,3,10\n", "row 3 (B): The balance cannot be negative"),
    ("A,100,101,10\n", "row 2 (A): The APR must be between 0 and 100"),
    ("A,100,5,0\n", "row 2 (A): The minimum payment must be more than zero"),
    (",100,5,10\n", "row 2: A debt needs a name"),
    ("A,lots,5,10\n", "row 2 (A): the balance 'lots' is not a number"),
    ("A,1,5,10\nA,2,5,10\n", "row 3 (A): another row has this name"),
])
def test_a_bad_row_is_named(body, message):
    with pytest.raises(PlanFileError) as raised:
        read_debts_csv("name,balance,apr,minimum\n" + body)
    assert message in str(raised.value)


def test_a_missing_column_is_named():
    with pytest.raises(PlanFileError, match="missing: minimum"):
        read_debts_csv("name,balance,apr\nA,1,2\n")


def test_lines_of_a_finished_plan_and_of_one_that_never_finishes():
    finished = plan_payoff([DebtSpec("Loan", Decimal("10000"), Decimal("5"), Decimal("200"))])
    assert plan_lines(finished) == ["Loan payoff_month=57 interest=1236.92",
                                    "months=57 total_interest=1236.92 order=Loan"]
    never = plan_payoff([DebtSpec("A", Decimal("100"), Decimal("5"), Decimal("10")),
                         DebtSpec("B", Decimal("10000"), Decimal("30"), Decimal("10"))])
    assert plan_lines(never) == ["A payoff_month=11 interest=2.37",
                                 "B payoff_month=never interest=never", "never"]


def test_payoff_order_ties_are_by_name_and_zero_interest_has_two_decimals():
    plan = plan_payoff([DebtSpec("b", Decimal("10"), Decimal("0"), Decimal("10")),
                        DebtSpec("a", Decimal("10"), Decimal("0"), Decimal("10"))], AVALANCHE)
    assert plan_lines(plan) == ["b payoff_month=1 interest=0.00", "a payoff_month=1 interest=0.00",
                                "months=1 total_interest=0.00 order=a,b"]


def test_no_debts_is_debt_free_now():
    assert plan_lines(plan_payoff([])) == ["months=0 total_interest=0.00 order="]
