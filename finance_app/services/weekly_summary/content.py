"""What a member's weekly summary says: the week it covers and, only when the member chose
figures, the headline numbers of each household they belong to, all read from the ledger core
and the budgets service (never summed here)."""

from __future__ import annotations

import importlib.util
import logging
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import exists, select

from finance_app.db import DbSession
from finance_app.models.user import User
from finance_app.models.weekly import SENT, WeeklySummarySend
from finance_app.money import ZERO, quantize
from finance_app.services.budgets.budgets import list_statuses
from finance_app.services.households import list_memberships
from finance_app.services.ledger.cashflow import trend
from finance_app.services.ledger.periods import WEEK, DateRange
from finance_app.services.ledger.query import LedgerQuery, percent_change
from finance_app.services.scope import Scope, load_scope
from finance_app.services.weekly_summary.due import local_now, summary_week

log = logging.getLogger(__name__)

# The "usual week" is the median spending of this many weeks before the summed-up one.
USUAL_WEEKS = 8
AT_RISK_STATES = ("warning", "danger", "over")


@dataclass(frozen=True)
class BudgetAtRisk:
    name: str
    period: str
    spent: Decimal
    available: Decimal
    percent: int
    state: str


@dataclass(frozen=True)
class GoalLine:
    name: str
    percent: int


@dataclass(frozen=True)
class HouseholdFigures:
    household_name: str
    currency: str
    spent: Decimal
    # The median week of the USUAL_WEEKS before; None while there is no spending to compare.
    usual: Decimal | None
    budgets_at_risk: tuple[BudgetAtRisk, ...]
    goals: tuple[GoalLine, ...] = ()
    new_badges: tuple[str, ...] = ()

    @property
    def change_percent(self) -> Decimal | None:
        return None if self.usual is None else percent_change(self.spent, self.usual)


@dataclass(frozen=True)
class WeeklySummary:
    user_id: int
    greeting_name: str
    # The week the email sums up (Monday to Sunday) and the week it is sent in.
    period: DateRange
    week_start: date
    # The member's first weekly email: it says plainly why it came and how to stop it.
    is_first: bool
    # None unless the member chose figures in their profile.
    figures: tuple[HouseholdFigures, ...] | None


def build_summary(session: DbSession, user: User, week_start: date,
                  now: datetime) -> WeeklySummary:
    start, end = summary_week(week_start)
    is_first = not session.scalar(select(exists().where(
        WeeklySummarySend.user_id == user.id, WeeklySummarySend.status == SENT,
        WeeklySummarySend.week_start < week_start,
    )))
    figures = None
    if user.weekly_email_figures:
        today = local_now(now, user.timezone).date()
        figures = tuple(
            household_figures(session, load_scope(session, m.household_id, user.id, m.role),
                              m.household.name, user.base_currency, start, today)
            for m in list_memberships(session, user.id)
        )
    return WeeklySummary(user.id, user.display_name, DateRange(start, end), week_start,
                         is_first, figures)


def household_figures(session: DbSession, scope: Scope, household_name: str, currency: str,
                      week_start: date, today: date) -> HouseholdFigures:
    """The headline figures of one household, as this member sees it (others' private
    accounts left out): spending of the week starting `week_start` against the usual week,
    budgets at risk today, and goals and new badges when those features are installed."""
    first = week_start - timedelta(weeks=USUAL_WEEKS)
    query = LedgerQuery(scope, currency, today, DateRange(first, week_start + timedelta(days=6)))
    points = [p for p in trend(session, query, WEEK).points if first <= p.start <= week_start]
    week = next((p for p in points if p.start == week_start), None)
    before = [p.expense for p in points if p.start < week_start]
    usual = quantize(Decimal(statistics.median(before))) if before else ZERO
    at_risk = tuple(
        BudgetAtRisk(s.category_name, s.period_label, s.current.spent, s.current.available,
                     s.current.percent, s.current.state)
        for s in list_statuses(session, scope, currency, today)
        if s.current.state in AT_RISK_STATES
    )
    return HouseholdFigures(
        household_name=household_name, currency=currency,
        spent=week.expense if week else ZERO, usual=usual if usual > 0 else None,
        budgets_at_risk=tuple(sorted(at_risk, key=lambda b: -b.percent)),
        goals=_goal_lines(session, scope, today),
        new_badges=_new_badges(session, scope, week_start),
    )


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _goal_lines(session: DbSession, scope: Scope, today: date) -> tuple[GoalLine, ...]:
    """Goal progress, when the goals feature is installed (built beside this one)."""
    if not _installed("finance_app.services.goals.progress"):
        return ()
    from finance_app.services.goals.progress import list_goal_progress

    return tuple(GoalLine(g.name, int(g.percent))
                 for g in list_goal_progress(session, scope.household_id, today))


def _new_badges(session: DbSession, scope: Scope, week_start: date) -> tuple[str, ...]:
    """Badges the member earned during the summed-up week, when the badges feature is
    installed. By when they were awarded: a badge dated back to old history is still news."""
    if not _installed("finance_app.services.badges.evaluation") or scope.member_id is None:
        return ()
    from finance_app.services.badges.evaluation import list_awards
    from finance_app.services.badges.rules import RULES_BY_KEY

    start = datetime.combine(week_start, datetime.min.time())
    end = start + timedelta(days=7)
    titles = []
    for award in reversed(list_awards(session, scope, scope.member_id)):
        rule = RULES_BY_KEY.get(award.key)
        if rule is not None and start <= award.created_at < end:
            titles.append(rule.title)
    return tuple(titles)
