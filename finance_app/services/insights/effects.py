"""What trimming a category back to its median would do: to the nearest savings goal's date (at
the goal's 3-month pace plus the trim) and to the debt-free date (the Debts page's default plan,
the snowball, with the trim as its monthly extra). Both come from the features that own those
dates (goals' projection, the debt planner); nothing is re-estimated here."""

from __future__ import annotations

from datetime import date

from finance_app.db import DbSession
from finance_app.money import ZERO, currency_quantum
from finance_app.services.insights.kinds import Recommendation
from finance_app.services.scope import Scope, scoped

TRIMMABLE = ("above_median",)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def with_trim_effects(session: DbSession, scope: Scope, base_currency: str, today: date,
                      found: list[Recommendation]) -> list[Recommendation]:
    """Each trimmable recommendation with the sentences saying what its monthly amount would do
    to the nearest goal and to the debt-free date, when it brings either forward."""
    trimmable = [r for r in found if r.kind in TRIMMABLE]
    if not trimmable:
        return found
    effects = {r.key: "" for r in trimmable}
    _add_goal_effects(session, scope, today, trimmable, effects)
    _add_debt_effects(session, scope, base_currency, today, trimmable, effects)
    return [r.with_detail(effects[r.key]) if effects.get(r.key) else r for r in found]


def _add_goal_effects(session: DbSession, scope: Scope, today: date,
                      trimmable: list[Recommendation], effects: dict[str, str]) -> None:
    from finance_app.models.goal import Goal
    from finance_app.services.goals.progress import goal_overview
    from finance_app.services.goals.projection import months_to_cover

    goals = list(session.scalars(scoped(Goal, scope).order_by(
        Goal.target_date.is_(None), Goal.target_date, Goal.id)))
    overview = next((o for o in (goal_overview(session, scope, g, today) for g in goals)
                     if not o.is_reached), None)
    if overview is None:
        return
    pace = overview.paces[0].monthly
    before = months_to_cover(overview.remaining, pace)
    for r in trimmable:
        after = months_to_cover(overview.remaining, pace + r.amount)
        if after is not None and (before is None or after < before):
            effects[r.key] += (
                f" Trimming it back to the median would reach “{overview.goal.name}” in "
                f"{_plural(after, 'month')}" + (f" instead of {before}." if before is not None
                                                 else " (at today's pace it is not reached)."))


def _add_debt_effects(session: DbSession, scope: Scope, base_currency: str, today: date,
                      trimmable: list[Recommendation], effects: dict[str, str]) -> None:
    from finance_app.services.debts.planner import SNOWBALL, plan_payoff
    from finance_app.services.debts.plans import build_plan

    household_plan = build_plan(session, scope, SNOWBALL, ZERO, base_currency, today)
    if household_plan.currency != base_currency or not household_plan.views:
        return
    specs = [v.spec() for v in household_plan.views]
    quantum = currency_quantum(base_currency)
    before = household_plan.debt_free_date
    for r in trimmable:
        plan = plan_payoff(specs, SNOWBALL, r.amount, quantum=quantum)
        after = household_plan.month_date(plan.months) if plan.months else None
        if after is not None and (before is None or after < before):
            effects[r.key] += (
                " Putting it toward your debts would make you debt-free by "
                f"{after:%B %Y}" + (f" instead of {before:%B %Y}." if before is not None
                                    else " (on minimum payments they are never paid off)."))
