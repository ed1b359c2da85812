"""The health score from plain figures: each part scored 0-100 on a line between a floor and a
target, weighted, with what would move it. A part without the data to judge it (no income, no
budgets) is left out and the other weights count for it, so a new household is not punished
for what it has not set up; the page says what is left out.

| part | weight | 0 at | 100 at |
|---|---|---|---|
| savings rate, last 3 months | 30 | 0 % | 20 % |
| emergency fund, months of usual spending in cash accounts | 25 | 0 | 6 |
| debt payments, minimums as a share of income | 20 | 50 % | 10 % or less |
| budgets kept last month | 15 | 0 % | 100 % |
| bills paid on time (bills and subscriptions due that month) | 10 | 0 % | 100 % |
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from finance_app.money import format_money

SAVINGS_TARGET = Decimal("0.20")
FUND_TARGET_MONTHS = Decimal("6")
DEBT_BEST, DEBT_WORST = Decimal("0.10"), Decimal("0.50")
WEIGHTS = {"savings": 30, "emergency_fund": 25, "debt": 20, "budgets": 15, "bills": 10}


@dataclass(frozen=True, slots=True)
class Figures:
    """What the score is made of, for one month (None: not known)."""

    currency: str
    income: Decimal  # per month, average of the last three
    spending: Decimal  # per month, average of the last three
    usual_spending: Decimal  # median month of the last six
    cash: Decimal  # checking, savings and cash accounts at the month's end
    debt_minimums: Decimal  # per month
    budgets_kept: int | None = None  # of budgets_total, last complete month
    budgets_total: int = 0
    bills_on_time: int = 0  # of bills_due: matched by a payment within the bill's tolerance
    bills_due: int = 0


@dataclass(frozen=True, slots=True)
class Part:
    key: str
    label: str
    value: str  # the figure in words
    weight: int
    score: int | None  # None: not counted
    advice: str  # what would move it

    @property
    def counted(self) -> bool:
        return self.score is not None


@dataclass(frozen=True, slots=True)
class HealthScore:
    total: int | None
    parts: tuple[Part, ...]

    @property
    def counted_weight(self) -> int:
        return sum(p.weight for p in self.parts if p.counted)


def _line(value: Decimal, zero_at: Decimal, full_at: Decimal) -> int:
    """0-100 on the straight line from zero_at to full_at (either direction), clamped."""
    share = (value - zero_at) / (full_at - zero_at)
    return int((max(Decimal(0), min(Decimal(1), share)) * 100).quantize(Decimal(1), ROUND_HALF_UP))


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)} %"


def savings_part(f: Figures) -> Part:
    weight = WEIGHTS["savings"]
    if f.income <= 0:
        return Part("savings", "Savings rate", "no income in the last 3 months", weight, None,
                    "Counted once income arrives in your accounts.")
    rate = (f.income - f.spending) / f.income
    score = _line(rate, Decimal(0), SAVINGS_TARGET)
    needed = max(Decimal(0), f.spending - f.income * (1 - SAVINGS_TARGET))
    advice = ("At or above 20 %: keep it there." if score == 100 else
              f"Spending {format_money(needed, f.currency)} less a month reaches 20 %.")
    return Part("savings", "Savings rate", f"{_percent(rate)} of income kept (last 3 months)",
                weight, score, advice)


def emergency_fund_part(f: Figures) -> Part:
    weight = WEIGHTS["emergency_fund"]
    if f.usual_spending <= 0:
        return Part("emergency_fund", "Emergency fund", "no spending to measure it by", weight,
                    None, "Counted once a few months of spending are in.")
    months = max(Decimal(0), f.cash) / f.usual_spending
    score = _line(months, Decimal(0), FUND_TARGET_MONTHS)
    short = max(Decimal(0), FUND_TARGET_MONTHS * f.usual_spending - f.cash)
    advice = ("Six months or more set aside." if score == 100 else
              f"{format_money(short, f.currency)} more in cash accounts makes six months.")
    return Part("emergency_fund", "Emergency fund",
                f"{months.quantize(Decimal('0.1'), ROUND_HALF_UP)} months of usual spending in "
                "checking, savings and cash", weight, score, advice)


def debt_part(f: Figures) -> Part:
    weight = WEIGHTS["debt"]
    if f.debt_minimums <= 0:
        return Part("debt", "Debt payments", "no debt payments", weight, 100,
                    "No debts recorded: nothing to pay down.")
    if f.income <= 0:
        return Part("debt", "Debt payments", "debt payments with no income", weight, 0,
                    "The debt planner shows the fastest way out.")
    share = f.debt_minimums / f.income
    score = _line(share, DEBT_WORST, DEBT_BEST)
    advice = ("Minimum payments are a small share of income." if score == 100 else
              "Paying off the highest-rate debt first lowers it fastest (see Debts).")
    return Part("debt", "Debt payments", f"minimums take {_percent(share)} of income", weight,
                score, advice)


def budgets_part(f: Figures) -> Part:
    weight = WEIGHTS["budgets"]
    if not f.budgets_total or f.budgets_kept is None:
        return Part("budgets", "Budgets kept", "no budgets", weight, None,
                    "Create a monthly budget and it counts from the next month.")
    share = Decimal(f.budgets_kept) / Decimal(f.budgets_total)
    score = _line(share, Decimal(0), Decimal(1))
    over = f.budgets_total - f.budgets_kept
    advice = ("Every budget kept last month." if over == 0 else
              f"{over} budget{'s' if over != 1 else ''} went over last month.")
    return Part("budgets", "Budgets kept",
                f"{f.budgets_kept} of {f.budgets_total} within their amount last month", weight,
                score, advice)


def bills_part(f: Figures) -> Part:
    weight = WEIGHTS["bills"]
    if not f.bills_due:
        return Part("bills", "Bills on time", "no bills due", weight, None,
                    "Counted once the Bills page finds or you add your bills.")
    share = Decimal(f.bills_on_time) / Decimal(f.bills_due)
    score = _line(share, Decimal(0), Decimal(1))
    late = f.bills_due - f.bills_on_time
    advice = ("Every bill paid on time." if late == 0 else
              f"{late} bill{'s' if late != 1 else ''} late or missed: the Bills page can remind "
              "you a few days before.")
    return Part("bills", "Bills on time", f"{f.bills_on_time} of {f.bills_due} paid on time",
                weight, score, advice)


def health_score(f: Figures) -> HealthScore:
    parts = (savings_part(f), emergency_fund_part(f), debt_part(f), budgets_part(f),
             bills_part(f))
    counted = [p for p in parts if p.score is not None]
    weight = sum(p.weight for p in counted)
    if not weight or all(p.key == "debt" for p in counted):
        return HealthScore(None, parts)  # nothing but "no debts": no score worth showing
    total = Decimal(sum(p.weight * (p.score or 0) for p in counted)) / weight
    return HealthScore(int(total.quantize(Decimal(1), ROUND_HALF_UP)), parts)
