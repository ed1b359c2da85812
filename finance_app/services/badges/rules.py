"""The badge registry: every badge, defined once, with how its progress is measured.

A rule's `measure(facts)` returns a Progress: how far the household is (`current` of
`needed`) and, once the rule is met, the day its data first met it (`earned_on`). Rules read
only `BadgeFacts` (the ledger core's figures and a few counts), never the database themselves,
so adding a badge is adding one BadgeRule here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise

from finance_app.money import ZERO, quantize
from finance_app.services.badges.facts import BadgeFacts
from finance_app.services.ledger.periods import MONTH, period_end, period_start

Number = int | Decimal
# The goals feature's kind of goal that is an emergency fund.
EMERGENCY_FUND = "emergency_fund"


@dataclass(frozen=True)
class Progress:
    """`current` of `needed`; `earned_on` is set once the rule is met. `hint` says what would
    start the progress when there is nothing to measure yet."""

    current: Number
    needed: Number
    earned_on: date | None = None
    hint: str = ""

    @property
    def is_earned(self) -> bool:
        return self.earned_on is not None

    @property
    def fraction(self) -> Decimal:
        """How far along, 0 to 1 (for a progress bar)."""
        if self.is_earned:
            return Decimal(1)
        if not self.needed or self.needed <= 0:
            return ZERO
        return min(max(Decimal(self.current) / Decimal(self.needed), ZERO), Decimal(1))


# Units a progress is counted in; "" is a one-step badge (done or not yet).
STEP, MONTHS, DAYS, TRANSACTIONS, PERCENT, MONEY, DEBTS = (
    "", "months", "days", "transactions", "%", "money", "debts")


@dataclass(frozen=True)
class BadgeRule:
    key: str
    title: str
    description: str
    icon: str  # a Bootstrap Icons name
    unit: str
    measure: Callable[[BadgeFacts], Progress]


def _streak(steps: Iterable[tuple[date, bool]], needed: int) -> Progress:
    """Consecutive periods (their last day, whether the period counts): earned at the end of
    the first run of `needed`; `current` is the run going on at the end."""
    run = 0
    earned = None
    for day, ok in steps:
        run = run + 1 if ok else 0
        if earned is None and run >= needed:
            earned = day
    return Progress(needed if earned else min(run, needed), needed, earned)


def _step(on: date | None, hint: str = "") -> Progress:
    return Progress(1 if on else 0, 1, on, "" if on else hint)


# ---------------------------------------------------------------- getting started


def first_import(facts: BadgeFacts) -> Progress:
    return _step(facts.first_import_on, "Import a bank export.")


def six_months_of_history(facts: BadgeFacts) -> Progress:
    months: list[date] = []
    for activity in facts.days:
        month = period_start(activity.day, MONTH)
        if not months or months[-1] != month:
            months.append(month)
            if len(months) == 6:
                return Progress(6, 6, activity.day)
    return Progress(len(months), 6)


def first_budget(facts: BadgeFacts) -> Progress:
    return _step(facts.first_budget_on, "Create a budget.")


def first_rule(facts: BadgeFacts) -> Progress:
    return _step(facts.first_rule_on, "Create a categorization rule.")


# ---------------------------------------------------------------- categories


def categorized_30_days(facts: BadgeFacts) -> Progress:
    """30 days in a row, inside the ledger's span, on which no counting line lacks a category."""
    first, latest = facts.span
    if first is None or latest is None:
        return Progress(0, 30, hint="Import or add transactions.")
    start = facts.days[0].day if facts.days else first
    earned = None
    for activity in facts.days:
        if activity.uncategorized:
            if earned is None and (activity.day - start).days >= 30:
                earned = start + timedelta(days=29)
            start = activity.day + timedelta(days=1)
    end = min(latest, facts.today)
    run = max((end - start).days + 1, 0)
    if earned is None and run >= 30:
        earned = start + timedelta(days=29)
    return Progress(30 if earned else run, 30, earned)


def reviewed_100(facts: BadgeFacts) -> Progress:
    count = facts.reviewed_count
    return Progress(min(count, 100), 100, facts.today if count >= 100 else None)


# ---------------------------------------------------------------- money by month


def under_budget_3_months(facts: BadgeFacts) -> Progress:
    """Three whole months in a row in which every monthly budget then set was kept."""
    statuses = facts.monthly_budget_statuses
    if not statuses:
        return Progress(0, 3, hint="Create a monthly budget.")
    starts = facts.budget_starts
    by_month: dict[date, list[bool]] = {}
    for status in statuses:
        first = starts.get(status.budget_id, facts.this_month)
        for figures in status.history:
            if first <= figures.start < facts.this_month:
                by_month.setdefault(figures.start, []).append(figures.spent <= figures.available)
    months = sorted(by_month)
    steps = []
    for n, month in enumerate(months):
        if n and months[n - 1] != period_start(month - timedelta(days=1), MONTH):
            steps.append((month, False))  # a gap of months without budgets breaks the run
        steps.append((period_end(month, MONTH), all(by_month[month])))
    return _streak(steps, 3)


def saved_3_months(facts: BadgeFacts) -> Progress:
    return _streak(((p.end, p.net > 0) for p in facts.complete_months), 3)


def savings_rate_20(facts: BadgeFacts) -> Progress:
    best = ZERO
    for point in facts.complete_months:
        rate = point.savings_rate
        if rate is None:
            continue
        if rate >= 20:
            return Progress(20, 20, point.end)
        best = max(best, rate)
    return Progress(int(best.to_integral_value(ROUND_FLOOR)), 20)


def net_worth_up_3_months(facts: BadgeFacts) -> Progress:
    points = facts.net_worth_month_ends
    return _streak(((b.day, b.net > a.net) for a, b in pairwise(points)), 3)


# ---------------------------------------------------------------- goals


GOALS_HINT = "Set a goal."


def emergency_fund_3_months(facts: BadgeFacts) -> Progress:
    """Emergency-fund goals together hold three times the average monthly spending of the last
    three whole months."""
    goals = facts.goals
    funds = [g for g in goals or () if g.kind == EMERGENCY_FUND]
    recent = facts.complete_months[-3:]
    spending = sum((p.expense for p in recent), ZERO)
    needed = quantize(spending / len(recent) * 3) if recent and spending > 0 else ZERO
    saved = quantize(sum((g.saved for g in funds), ZERO))
    if not funds:
        return Progress(ZERO, needed, hint="Set an emergency fund goal.")
    if needed <= 0:
        return Progress(saved, needed, hint="Needs a whole month of spending to compare with.")
    return Progress(min(saved, needed), needed, facts.today if saved >= needed else None)


def goal_percent(threshold: int) -> Callable[[BadgeFacts], Progress]:
    def measure(facts: BadgeFacts) -> Progress:
        goals = facts.goals or ()
        if not goals:
            return Progress(0, threshold, hint=GOALS_HINT)
        best = max(g.percent for g in goals)
        if best >= threshold:
            return Progress(threshold, threshold, facts.today)
        return Progress(int(max(best, ZERO).to_integral_value(ROUND_FLOOR)), threshold)

    measure.__name__ = f"goal_{threshold}"
    return measure


# ---------------------------------------------------------------- debts


def debt_paid_off(facts: BadgeFacts) -> Progress:
    days = facts.debt_paid_days
    if not facts.debts:
        return Progress(0, 1, hint="Add your debts.")
    return _step(min(days.values()) if days else None)


def debt_free(facts: BadgeFacts) -> Progress:
    debts = facts.debts
    if not debts:
        return Progress(0, 1, hint="Add your debts.")
    days = facts.debt_paid_days
    if len(days) == len(debts):
        return Progress(len(debts), len(debts), max(days.values()))
    return Progress(len(days), len(debts))


# ---------------------------------------------------------------- habits


def no_spend_weekend(facts: BadgeFacts) -> Progress:
    """A Saturday and Sunday, inside the ledger's span, without money going out."""
    first, latest = facts.span
    if first is None or latest is None:
        return Progress(0, 1, hint="Import or add transactions.")
    spent = {a.day for a in facts.days if a.spent}
    saturday = first + timedelta(days=(5 - first.weekday()) % 7)
    last = min(latest, facts.today)
    while saturday + timedelta(days=1) <= last:
        sunday = saturday + timedelta(days=1)
        if saturday not in spent and sunday not in spent:
            return Progress(1, 1, sunday)
        saturday += timedelta(days=7)
    return Progress(0, 1)


RULES: tuple[BadgeRule, ...] = (
    BadgeRule("first_import", "First import", "Imported a bank export for the first time.",
              "cloud-arrow-up", STEP, first_import),
    BadgeRule("six_months_history", "Six months of history",
              "Transactions in six different months.", "clock-history", MONTHS,
              six_months_of_history),
    BadgeRule("first_budget", "First budget", "Set up a first budget.", "pie-chart", STEP,
              first_budget),
    BadgeRule("first_rule", "First rule", "Created a categorization rule.", "magic", STEP,
              first_rule),
    BadgeRule("categorized_30_days", "Tidy month",
              "Every transaction of 30 days in a row has a category.", "tags", DAYS,
              categorized_30_days),
    BadgeRule("reviewed_100", "Hundred reviewed",
              "You set or confirmed the category of 100 transactions.", "check2-all",
              TRANSACTIONS, reviewed_100),
    BadgeRule("under_budget_3_months", "On budget",
              "Three whole months in a row with every monthly budget kept.", "bullseye", MONTHS,
              under_budget_3_months),
    BadgeRule("saved_3_months", "Steady saver",
              "More income than spending three whole months in a row.", "piggy-bank", MONTHS,
              saved_3_months),
    BadgeRule("savings_rate_20", "Twenty percent",
              "A whole month in which you saved at least 20 % of your income.", "percent",
              PERCENT, savings_rate_20),
    BadgeRule("net_worth_up_3_months", "Growing",
              "Net worth up at the end of three months in a row.", "graph-up-arrow", MONTHS,
              net_worth_up_3_months),
    BadgeRule("emergency_fund_3_months", "Safety net",
              "An emergency fund that covers three months of spending.", "shield-check", MONEY,
              emergency_fund_3_months),
    BadgeRule("goal_25", "Goal: a quarter", "A goal 25 % of the way there.", "flag", PERCENT,
              goal_percent(25)),
    BadgeRule("goal_50", "Goal: halfway", "A goal 50 % of the way there.", "flag", PERCENT,
              goal_percent(50)),
    BadgeRule("goal_75", "Goal: three quarters", "A goal 75 % of the way there.", "flag",
              PERCENT, goal_percent(75)),
    BadgeRule("goal_100", "Goal reached", "A goal saved in full.", "trophy", PERCENT,
              goal_percent(100)),
    BadgeRule("debt_paid_off", "Debt paid off", "A debt's balance reached zero.",
              "credit-card-2-back", STEP, debt_paid_off),
    BadgeRule("debt_free", "Debt-free", "Every debt paid off.", "stars", DEBTS, debt_free),
    BadgeRule("no_spend_weekend", "No-spend weekend", "A Saturday and Sunday without spending.",
              "cup-hot", STEP, no_spend_weekend),
)
RULES_BY_KEY: dict[str, BadgeRule] = {rule.key: rule for rule in RULES}
