"""How far each goal is: saved from linked accounts (ledger balances) and contributions.

Saved on a day = for each linked account, its ledger balance on that day (all of it, or at most
the set amount; never below zero, a goal cannot be owed money) + every contribution dated on or
before that day. The balances come from the ledger core (`services/ledger/balances.py`), never
from a sum kept here. Percent is saved / target, 2 dp, and may pass 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from finance_app.db import DbSession
from finance_app.models.goal import Goal
from finance_app.money import CENT, ZERO, currency_quantum, quantize
from finance_app.services.goals.projection import (
    Projection,
    Status,
    add_months,
    project,
    required_monthly,
    status_of,
)
from finance_app.services.households.membership import shared_scope
from finance_app.services.ledger.balances import account_balances
from finance_app.services.scope import Scope

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class GoalProgress:
    goal_id: int
    name: str
    kind: str
    saved: Decimal
    target: Decimal
    percent: Decimal  # 0..100+, 2 dp


def percent_of(saved: Decimal, target: Decimal) -> Decimal:
    """saved / target in percent, rounded down to 2 dp (99.999 % is not yet 100 %)."""
    if target <= ZERO:
        return ZERO
    return max(ZERO, (saved * HUNDRED / target).quantize(CENT, rounding=ROUND_DOWN))


@dataclass(frozen=True)
class LinkFigure:
    """What one linked account puts toward the goal today."""

    account_id: int
    name: str
    balance: Decimal | None  # None: a private account this member does not see
    set_amount: Decimal | None
    counted: Decimal


def _link_figures(session: DbSession, scope: Scope, goal: Goal, day: date) -> list[LinkFigure]:
    accounts = [link.account for link in goal.links]
    balances = account_balances(session, scope, accounts, as_of=day) if accounts else {}
    figures = []
    for link in goal.links:
        found = balances.get(link.account_id)
        if found is None:
            figures.append(LinkFigure(link.account_id, "", None, link.amount, ZERO))
            continue
        held = max(ZERO, found.balance)
        counted = held if link.amount is None else min(link.amount, held)
        figures.append(LinkFigure(link.account_id, link.account.name, found.balance,
                                  link.amount, counted))
    return figures


def link_figures(session: DbSession, scope: Scope, goal: Goal, day: date) -> list[LinkFigure]:
    """Each linked account this member sees, with its balance and what it counts on `day`."""
    return [f for f in _link_figures(session, scope, goal, day) if f.balance is not None]


def saved_on(session: DbSession, scope: Scope, goal: Goal, day: date) -> Decimal:
    """What the goal holds at the end of `day` (accounts this scope cannot see count nothing)."""
    total = sum((f.counted for f in _link_figures(session, scope, goal, day)), ZERO)
    total += sum((c.amount for c in goal.contributions if c.day <= day), ZERO)
    return quantize(total, currency_quantum(goal.currency))


def goal_progress(session: DbSession, scope: Scope, goal: Goal, today: date) -> GoalProgress:
    saved = saved_on(session, scope, goal, today)
    return GoalProgress(goal.id, goal.name, goal.kind, saved, goal.target_amount,
                        percent_of(saved, goal.target_amount))


def load_goals(session: DbSession, household_id: int) -> list[Goal]:
    """Every goal of the household with its links and contributions, by name."""
    return list(session.scalars(
        select(Goal).where(Goal.household_id == household_id)
        .options(selectinload(Goal.links), selectinload(Goal.contributions))
        .order_by(Goal.name)))


def list_goal_progress(session: DbSession, household_id: int, today: date) -> list[GoalProgress]:
    """Progress of every goal of the household as every member sees it (private accounts
    count nothing: badges and milestone notifications reach all members)."""
    scope = shared_scope(session, household_id)
    return [goal_progress(session, scope, goal, today)
            for goal in load_goals(session, household_id)]


# ---------------------------------------------------------------- pace and overview

PACE_MONTHS = (3, 6)


@dataclass(frozen=True)
class Pace:
    """Net saving into the goal over the last `months` full months: what it held at the end of
    the month before them, and at the end of the last full month (before today's month)."""

    months: int
    start: date  # last day of the month before the window
    end: date  # last day of the last full month
    held_at_start: Decimal
    held_at_end: Decimal
    monthly: Decimal

    @property
    def saved(self) -> Decimal:
        return self.held_at_end - self.held_at_start

    @property
    def first_day(self) -> date:
        return self.start + timedelta(days=1)


def saving_pace(session: DbSession, scope: Scope, goal: Goal, today: date,
                months: int) -> Pace:
    this_month = today.replace(day=1)
    end = this_month - timedelta(days=1)
    start = add_months(this_month, -months) - timedelta(days=1)
    held_at_start = saved_on(session, scope, goal, start)
    held_at_end = saved_on(session, scope, goal, end)
    monthly = quantize((held_at_end - held_at_start) / months, currency_quantum(goal.currency))
    return Pace(months, start, end, held_at_start, held_at_end, monthly)


@dataclass(frozen=True)
class Outlook:
    """One way of saving from today: its projection, the amount the date needs, the status."""

    projection: Projection
    required: Decimal | None  # None: no target date
    status: Status | None  # None: no target date


def outlook(remaining: Decimal, monthly: Decimal, target_date: date | None, today: date,
            currency: str) -> Outlook:
    projection = project(remaining, monthly, today)
    if target_date is None:
        return Outlook(projection, None, None)
    return Outlook(projection,
                   required_monthly(remaining, today, target_date, currency_quantum(currency)),
                   status_of(projection, target_date))


@dataclass(frozen=True)
class GoalOverview:
    """Everything the goal's page shows: progress, the accounts, both paces and their outlooks.

    The status ("on track / behind by N months") follows the 3-month pace: the most recent
    saving habit, which is what the household can change.
    """

    goal: Goal
    progress: GoalProgress
    links: list[LinkFigure]
    contributed: Decimal
    paces: list[Pace]
    outlooks: list[Outlook]
    today: date

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.progress.target - self.progress.saved)

    @property
    def is_reached(self) -> bool:
        return self.progress.saved >= self.progress.target

    @property
    def required(self) -> Decimal | None:
        return self.outlooks[0].required

    @property
    def status(self) -> Status | None:
        return None if self.is_reached else self.outlooks[0].status

    def what_if(self, monthly: Decimal | None, target_date: date | None) -> Outlook:
        """Saving `monthly` (default: the 3-month pace) toward `target_date` (default: the
        goal's own)."""
        return outlook(self.remaining, self.paces[0].monthly if monthly is None else monthly,
                       target_date or self.goal.target_date, self.today, self.goal.currency)


def goal_overview(session: DbSession, scope: Scope, goal: Goal, today: date) -> GoalOverview:
    progress = goal_progress(session, scope, goal, today)
    paces = [saving_pace(session, scope, goal, today, months) for months in PACE_MONTHS]
    remaining = max(ZERO, progress.target - progress.saved)
    outlooks = [outlook(remaining, pace.monthly, goal.target_date, today, goal.currency)
                for pace in paces]
    contributed = sum((c.amount for c in goal.contributions if c.day <= today), ZERO)
    return GoalOverview(goal, progress, link_figures(session, scope, goal, today), contributed,
                        paces, outlooks, today)


def list_goal_overviews(session: DbSession, scope: Scope, goals: list[Goal],
                        today: date) -> list[GoalOverview]:
    return [goal_overview(session, scope, goal, today) for goal in goals]
