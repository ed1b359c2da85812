"""The payoff planner against textbook cases, hand-worked months and a second, independent
implementation of the rule (integer cents and exact fractions, written here from the rule in
the issue, not from the planner's code)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from finance_app.services.debts.planner import (
    AVALANCHE,
    CAPPED,
    CUSTOM,
    NEVER,
    SNOWBALL,
    DebtSpec,
    PlanInputError,
    minimums_only,
    plan_payoff,
    strategy_order,
)

D = Decimal


def debt(name: str, balance: str, apr: str, minimum: str, rank: int = 0) -> DebtSpec:
    return DebtSpec(name, D(balance), D(apr), D(minimum), rank)


# ---------------------------------------------------------------- the second implementation


def reference_plan(debts: list[tuple[str, str, str, str]], strategy: str, extra: str = "0",
                   max_months: int = 1200) -> dict:
    """The rule, from the issue, in integer cents: interest = balance x APR / 1200 rounded
    half-up to the cent on every unpaid debt; budget = all starting minimums + extra; each
    unpaid debt gets min(minimum, balance); the rest goes in strategy order (snowball: smallest
    starting balance, avalanche: highest APR; ties by name), spilling over within the month.
    Returns {name: (payoff month or None, interest cents)}, months, total cents."""
    names = [d[0] for d in debts]
    cents = {d[0]: int(Fraction(d[1]) * 100) for d in debts}
    apr = {d[0]: Fraction(d[2]) for d in debts}
    minimum = {d[0]: int(Fraction(d[3]) * 100) for d in debts}
    start = dict(cents)
    if strategy == SNOWBALL:
        order = sorted(names, key=lambda n: (start[n], n))
    else:
        order = sorted(names, key=lambda n: (-apr[n], n))
    budget = sum(minimum.values()) + int(Fraction(extra) * 100)
    interest = dict.fromkeys(names, 0)
    payoff: dict[str, int | None] = {n: (0 if cents[n] == 0 else None) for n in names}
    month = 0
    while any(cents[n] > 0 for n in names) and month < max_months:
        month += 1
        for n in names:
            if cents[n] > 0:
                exact = Fraction(cents[n]) * apr[n] / 1200  # in cents
                charge = math.floor(exact + Fraction(1, 2))  # half-up (amounts are positive)
                interest[n] += charge
                cents[n] += charge
        left = budget
        for n in names:
            if cents[n] > 0:
                pay = min(minimum[n], cents[n])
                cents[n] -= pay
                left -= pay
        for n in order:
            if cents[n] > 0 and left > 0:
                pay = min(left, cents[n])
                cents[n] -= pay
                left -= pay
        for n in names:
            if cents[n] == 0 and payoff[n] is None:
                payoff[n] = month
    done = all(cents[n] == 0 for n in names)
    return {"debts": {n: (payoff[n], interest[n]) for n in names},
            "months": max((p or 0 for p in payoff.values()), default=0) if done else None,
            "total": sum(interest.values())}


def cents(value: Decimal) -> int:
    return int(value * 100)


# ---------------------------------------------------------------- textbook cases


def test_textbook_10000_at_5_percent_paying_200_takes_57_months_and_1236_92():
    """The classic amortization: 10,000 at 5 % APR, 200 a month -> 57 months, 1,236.92 of
    interest. Month 1 by hand: 10,000 x 5 / 1200 = 41.666.. -> 41.67; 10,041.67 - 200 =
    9,841.67."""
    plan = plan_payoff([debt("Loan", "10000", "5", "200")], SNOWBALL)
    assert plan.finished and plan.months == 57
    assert plan.total_interest == D("1236.92")
    first = plan.schedule[0].debts[0]
    assert (first.interest, first.payment, first.end_balance) == (
        D("41.67"), D("200"), D("9841.67"))
    last = plan.schedule[-1].debts[0]
    assert last.end_balance == 0 and last.payment < D("200")
    assert plan.debts[0].payoff_month == 57


def test_textbook_months_agree_with_the_annuity_formula():
    """n = -ln(1 - rB/P) / ln(1 + r): 1,000 at 12 % paying 100 -> 10.59, so 11 payments;
    5,000 at 18 % paying 150 -> 41.6, so 42; interest as the reference implementation."""
    for balance, apr, pay in (("1000", "12", "100"), ("5000", "18", "150"),
                              ("25000", "3.9", "450")):
        r = float(apr) / 1200
        expected_months = math.ceil(-math.log(1 - r * float(balance) / float(pay))
                                    / math.log(1 + r))
        plan = plan_payoff([debt("L", balance, apr, pay)])
        assert plan.months == expected_months
        reference = reference_plan([("L", balance, apr, pay)], SNOWBALL)
        assert cents(plan.total_interest) == reference["total"]


def test_zero_apr_is_balance_over_payment_with_no_interest():
    plan = plan_payoff([debt("Dentist", "1200", "0", "100")])
    assert plan.months == 12 and plan.total_interest == 0


def test_a_debt_that_starts_at_zero_is_paid_off_in_month_0_and_its_minimum_still_works():
    """Budget = 25 (paid debt's minimum) + 25 = 50 a month on 100 at 0 %: 2 months."""
    plan = plan_payoff([debt("Done", "0", "10", "25"), debt("Open", "100", "0", "25")])
    assert [d.payoff_month for d in plan.debts] == [0, 2]
    assert plan.months == 2


# ---------------------------------------------------------------- the monthly rule by hand


def test_extra_spills_over_to_the_next_debt_within_the_same_month():
    """0 % APR, minimums 10 + 10, extra 100: budget 120.
    Month 1: A gets its minimum 10 (40 left), B 10 (490 left); 100 left over: A takes 40 and
    is paid off, the 60 left spills to B -> 430. Months 2-4: 120 each to B -> 310, 190, 70;
    month 5: 70 -> paid off."""
    plan = plan_payoff([debt("A", "50", "0", "10"), debt("B", "500", "0", "10")], SNOWBALL,
                       D("100"))
    month1 = {d.name: d for d in plan.schedule[0].debts}
    assert (month1["A"].payment, month1["A"].end_balance) == (D("50"), D("0"))
    assert (month1["B"].payment, month1["B"].end_balance) == (D("70"), D("430"))
    assert [m.debts[0].end_balance for m in plan.schedule[1:]] == [D("310"), D("190"),
                                                                   D("70"), D("0")]
    assert [d.payoff_month for d in plan.debts] == [1, 5]
    assert plan.payoff_order == ("A", "B")


def test_strategy_orders_and_their_ties_by_name():
    debts = [debt("b", "100", "10", "5", rank=2), debt("a", "100", "20", "5", rank=1),
             debt("c", "50", "20", "5", rank=1)]
    assert [debts[i].name for i in strategy_order(debts, SNOWBALL)] == ["c", "a", "b"]
    assert [debts[i].name for i in strategy_order(debts, AVALANCHE)] == ["a", "c", "b"]
    assert [debts[i].name for i in strategy_order(debts, CUSTOM)] == ["a", "c", "b"]
    with pytest.raises(PlanInputError):
        strategy_order(debts, "random")


THREE = [("Visa", "3000", "24", "90"), ("Car", "8000", "6", "200"),
         ("Medical", "1200", "0", "50")]


def test_three_debts_snowball_against_avalanche_to_the_cent():
    """Snowball pays Medical (smallest) first, avalanche Visa (24 %) first. Month 1 by hand,
    extra 150 (budget 490): interest Visa 3000 x 24/1200 = 60.00, Car 8000 x 6/1200 = 40.00,
    Medical 0. Minimums: Visa 3060 - 90 = 2970, Car 8040 - 200 = 7840, Medical 1150; the 150
    goes to Medical (snowball) -> 1000, or to Visa (avalanche) -> 2820. The whole plans are
    checked against the integer-cents reference implementation above."""
    specs = [debt(*row) for row in THREE]
    snowball = plan_payoff(specs, SNOWBALL, D("150"))
    avalanche = plan_payoff(specs, AVALANCHE, D("150"))
    s1 = {d.name: d.end_balance for d in snowball.schedule[0].debts}
    a1 = {d.name: d.end_balance for d in avalanche.schedule[0].debts}
    assert s1 == {"Visa": D("2970"), "Car": D("7840"), "Medical": D("1000")}
    assert a1 == {"Visa": D("2820"), "Car": D("7840"), "Medical": D("1150")}
    for plan, strategy in ((snowball, SNOWBALL), (avalanche, AVALANCHE)):
        reference = reference_plan(THREE, strategy, "150")
        assert plan.months == reference["months"]
        assert cents(plan.total_interest) == reference["total"]
        assert {d.name: (d.payoff_month, cents(d.interest)) for d in plan.debts} == \
            reference["debts"]
    assert snowball.payoff_order == ("Medical", "Visa", "Car")
    assert avalanche.payoff_order == ("Visa", "Medical", "Car")
    # Avalanche never costs more interest than snowball here.
    assert avalanche.total_interest < snowball.total_interest


def test_three_debts_figures_stated():
    """The figures of the example above, written down (they agree with the reference
    implementation), so a change to the rule shows up as a diff of numbers."""
    specs = [debt(*row) for row in THREE]
    snowball = plan_payoff(specs, SNOWBALL, D("150"))
    avalanche = plan_payoff(specs, AVALANCHE, D("150"))
    assert [(d.name, d.payoff_month, d.interest) for d in snowball.debts] == [
        ("Visa", 17, D("695.90")), ("Car", 28, D("721.22")), ("Medical", 6, D("0"))]
    assert (snowball.months, snowball.total_interest) == (28, D("1417.12"))
    assert [(d.name, d.payoff_month, d.interest) for d in avalanche.debts] == [
        ("Visa", 15, D("487.18")), ("Car", 28, D("699.70")), ("Medical", 24, D("0"))]
    assert (avalanche.months, avalanche.total_interest) == (28, D("1186.88"))


@pytest.mark.parametrize("strategy", [SNOWBALL, AVALANCHE])
def test_many_debts_agree_with_the_reference(strategy):
    rows = [(f"D{i:02d}", f"{500 + 731 * i}.{i:02d}", f"{(i * 7) % 30}.{i % 10}9",
             f"{25 + (500 + 731 * i) // 40}") for i in range(12)]
    plan = plan_payoff([debt(*r) for r in rows], strategy, D("77.70"))
    reference = reference_plan(rows, strategy, "77.70")
    assert plan.finished and plan.months == reference["months"]
    assert {d.name: (d.payoff_month, cents(d.interest)) for d in plan.debts} == \
        reference["debts"]


def test_minimums_only_pays_no_extra_and_passes_nothing_on():
    """A: 20 at 0 % min 10 -> month 2; B: 100 at 0 % min 10 -> month 10 (not sooner: A's
    minimum is not passed on)."""
    plan = minimums_only([debt("A", "20", "0", "10"), debt("B", "100", "0", "10")])
    assert [d.payoff_month for d in plan.debts] == [2, 10]
    assert plan_payoff([debt("A", "20", "0", "10"), debt("B", "100", "0", "10")]).months == 6


# ---------------------------------------------------------------- plans that cannot finish


def test_payments_that_never_cover_the_interest_stop_at_once_as_never():
    """10,000 at 30 %: 250.00 interest a month against a 200 payment."""
    plan = plan_payoff([debt("Card", "10000", "30", "200")])
    assert plan.stopped == NEVER and not plan.finished and plan.months is None
    assert len(plan.schedule) == 1
    assert plan.debts[0].payoff_month is None


def test_never_after_the_other_debts_are_paid_off():
    plan = plan_payoff([debt("A", "100", "5", "10"), debt("B", "10000", "30", "10")])
    assert plan.stopped == NEVER
    assert plan.debts[0].payoff_month == 11 and plan.debts[1].payoff_month is None
    assert plan.payoff_order == ("A",)


def test_a_total_that_grows_at_first_is_not_mistaken_for_never():
    """A (100 % APR) shrinks while B grows and the total grows for months; once A is paid off
    its minimum goes to B and the plan finishes."""
    specs = [debt("A", "1000", "100", "150"), debt("B", "100000", "1", "10")]
    plan = plan_payoff(specs, AVALANCHE)
    assert plan.schedule[0].payment < plan.schedule[0].interest + D("1000")
    assert plan.finished
    reference = reference_plan([("A", "1000", "100", "150"), ("B", "100000", "1", "10")],
                               AVALANCHE)
    assert plan.months == reference["months"]


def test_a_plan_is_capped_at_100_years():
    """1,000,000 at 0 % paying 500 would take 2,000 months: the plan stops at 1,200."""
    plan = plan_payoff([debt("House", "1000000", "0", "500")])
    assert plan.stopped == CAPPED and plan.months is None
    assert len(plan.schedule) == 1200
    assert plan.schedule[-1].debts[0].end_balance == D("400000")
    # Exactly 100 years still finishes.
    assert plan_payoff([debt("House", "600000", "0", "500")]).months == 1200


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("spec", "field", "words"), [
    (debt("Neg", "-1", "5", "10"), "balance", "negative"),
    (debt("Apr", "10", "100.01", "10"), "apr", "between 0 and 100"),
    (debt("Apr", "10", "-1", "10"), "apr", "between 0 and 100"),
    (debt("Min", "10", "5", "0"), "minimum", "more than zero"),
    (debt("", "10", "5", "10"), "name", "needs a name"),
    (debt("  ", "10", "5", "10"), "name", "needs a name"),
    (debt("Cents", "10.001", "5", "10"), "balance", "decimals"),
])
def test_bad_debts_are_refused_with_a_clear_message(spec, field, words):
    with pytest.raises(PlanInputError) as raised:
        plan_payoff([spec])
    assert raised.value.field == field and words in str(raised.value)


def test_bad_extra_and_duplicate_names_are_refused():
    with pytest.raises(PlanInputError, match="zero or more"):
        plan_payoff([debt("A", "10", "0", "1")], SNOWBALL, D("-1"))
    with pytest.raises(PlanInputError, match="Two debts"):
        plan_payoff([debt("A", "10", "0", "1"), debt("A", "20", "0", "1")])


def test_apr_of_exactly_100_is_allowed():
    assert plan_payoff([debt("Shark", "100", "100", "60")]).finished


def test_a_half_cent_of_interest_rounds_up():
    """6.00 x 1 / 1200 = 0.005 exactly -> 0.01 (half-up); 18.00 x 1 / 1200 = 0.015 -> 0.02
    (half-even would give 0.00 and 0.02); 0.59 x 1 / 1200 = 0.00049.. -> 0.00."""
    for balance, expected in (("6.00", "0.01"), ("18.00", "0.02"), ("0.59", "0.00"),
                              ("1234567.89", "1028.81")):
        plan = plan_payoff([debt("x", balance, "1", "5000000")])
        assert plan.schedule[0].debts[0].interest == D(expected), balance
