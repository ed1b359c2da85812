"""A household's payoff plan: its debts through the planner, compared with the alternatives,
with calendar months and the rows of the schedule download.

Month 1 of a plan is the month after `today`'s: the first payment the plan can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.exports import Amount, Cell
from finance_app.money import ZERO, currency_quantum
from finance_app.services.debts.planner import (
    AVALANCHE,
    SNOWBALL,
    STRATEGY_LABELS,
    Plan,
    minimums_only,
    plan_payoff,
)
from finance_app.services.debts.records import DebtView, debt_views
from finance_app.services.scope import Scope

SCHEDULE_HEADER = ("month", "date", "debt", "start_balance", "interest", "payment",
                   "end_balance")


@dataclass(frozen=True)
class Comparison:
    """Another way of paying, and what the chosen plan saves against it (None: cannot tell,
    because one of the two never finishes)."""

    label: str
    plan: Plan
    months_saved: int | None
    interest_saved: Decimal | None


@dataclass(frozen=True)
class HouseholdPlan:
    currency: str
    currencies: tuple[str, ...]  # every currency the household has debts in
    views: tuple[DebtView, ...]  # the debts of `currency`, the plan's input
    plan: Plan
    comparisons: tuple[Comparison, ...]
    first_month: date  # the first day of month 1

    def month_date(self, number: int) -> date:
        """The first day of the plan's month `number` (0: the month before the first)."""
        index = self.first_month.year * 12 + self.first_month.month - 1 + number - 1
        return date(index // 12, index % 12 + 1, 1)

    def payoff_date(self, name: str) -> date | None:
        for result in self.plan.debts:
            if result.name == name and result.payoff_month is not None:
                return self.month_date(result.payoff_month)
        return None

    @property
    def debt_free_date(self) -> date | None:
        months = self.plan.months
        return self.month_date(months) if months else None


def next_month(today: date) -> date:
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _saved(chosen: Plan, other: Plan) -> tuple[int | None, Decimal | None]:
    if chosen.months is None or other.months is None:
        return None, None
    return other.months - chosen.months, other.total_interest - chosen.total_interest


def build_plan(session: DbSession, scope: Scope, strategy: str, extra: Decimal,
               currency: str | None = None, today: date | None = None) -> HouseholdPlan:
    """The plan of the household's debts in `currency` (default: the first it has debts in)
    by `strategy` with `extra` a month, and the comparisons the page shows. Raises
    PlanInputError for a bad extra amount or strategy."""
    day = today or date.today()
    views = debt_views(session, scope, on_date=day)
    currencies = tuple(sorted({v.debt.currency for v in views}))
    chosen_currency = currency if currency in currencies else (
        currencies[0] if currencies else (currency or "USD"))
    mine = tuple(v for v in views if v.debt.currency == chosen_currency)
    specs = [v.spec() for v in mine]
    quantum = currency_quantum(chosen_currency)
    plan = plan_payoff(specs, strategy, extra, quantum=quantum)
    alternatives: list[tuple[str, Plan]] = [("Minimum payments only",
                                             minimums_only(specs, quantum=quantum))]
    for other in (SNOWBALL, AVALANCHE):  # "the other strategy"; both for a custom order
        if other != strategy:
            alternatives.append((STRATEGY_LABELS[other],
                                 plan_payoff(specs, other, extra, quantum=quantum)))
    comparisons = tuple(Comparison(label, other, *_saved(plan, other))
                        for label, other in alternatives)
    return HouseholdPlan(chosen_currency, currencies, mine, plan, comparisons, next_month(day))


def schedule_rows(household_plan: HouseholdPlan) -> list[list[Cell]]:
    """The month-by-month schedule: one row per debt still owing at the start of a month."""
    currency = household_plan.currency
    return [
        [month.number, household_plan.month_date(month.number), entry.name,
         Amount(entry.start_balance, currency), Amount(entry.interest, currency),
         Amount(entry.payment, currency), Amount(entry.end_balance, currency)]
        for month in household_plan.plan.schedule for entry in month.debts
    ]


def total_owed(views: tuple[DebtView, ...] | list[DebtView]) -> Decimal:
    return sum((v.balance for v in views), ZERO)


@dataclass(frozen=True)
class Timeline:
    """Balance per debt at the end of each month, from the start (month 0): the chart's and
    its table's figures."""

    names: tuple[str, ...]
    rows: tuple[tuple[int, date, tuple[Decimal, ...]], ...]  # (month, first day, balances)

    def series(self, palette: tuple[str, ...]) -> list[dict[str, object]]:
        """Chart series: one line per debt, amounts as strings (never floats)."""
        return [{"label": name, "color": palette[i % len(palette)],
                 "data": [str(balances[i]) for _n, _d, balances in self.rows]}
                for i, name in enumerate(self.names)]

    @property
    def labels(self) -> list[str]:
        return [day.strftime("%b %Y") for _n, day, _b in self.rows]


def timeline(household_plan: HouseholdPlan) -> Timeline:
    plan = household_plan.plan
    return Timeline(tuple(d.name for d in plan.debts), tuple(
        (number, household_plan.month_date(number), balances)
        for number, balances in plan.balances()))
