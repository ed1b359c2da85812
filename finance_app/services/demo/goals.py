"""The demo household's goals: an emergency fund following the savings account and a trip
funded by contributions, so progress, paces, what-if and advice show at once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.goal import Goal
from finance_app.models.ledger import Account
from finance_app.models.user import User
from finance_app.services.goals.milestones import evaluate_milestones
from finance_app.services.goals.projection import add_months
from finance_app.services.goals.records import (
    GoalInput,
    LinkInput,
    add_contribution,
    create_goal,
)
from finance_app.services.households.membership import member_scope
from finance_app.services.ledger.periods import user_today
from finance_app.services.scope import scoped


def seed_demo_goals(session: DbSession, user: User) -> str:
    """Idempotent: a household that already has goals keeps them."""
    scope = member_scope(session, user)
    if session.scalars(scoped(Goal, scope)).first() is not None:
        return "goals: kept"
    today = user_today(user.timezone)
    savings = session.scalars(scoped(Account, scope).where(
        Account.name == "High-Yield Savings")).first()
    links = [LinkInput(savings.id)] if savings is not None else []
    create_goal(session, scope, GoalInput(
        "Emergency fund", Decimal("30000.00"), "emergency_fund", "USD",
        add_months(today, 18), "Six months of spending, kept in savings.", links), today)
    trip = create_goal(session, scope, GoalInput(
        "Summer in Lisbon", Decimal("4500.00"), "vacation", "USD",
        add_months(today, 7), "Flights, a flat in Alfama, and the trams."), today)
    for months_ago, amount in ((5, "300.00"), (4, "250.00"), (3, "250.00"), (2, "200.00"),
                               (1, "200.00")):
        add_contribution(session, scope, trip.id, Decimal(amount),
                         add_months(today, -months_ago).replace(day=1) + timedelta(days=2),
                         today, "Set aside from the pay cheque")
    # Milestones reached already are history, not news: recorded and marked celebrated.
    for milestone in evaluate_milestones(session, scope.household_id, today):
        milestone.celebrated_at = milestone.created_at
        milestone.emailed_at = milestone.created_at
    return "goals: 2 (emergency fund follows the savings account; a trip by contributions)"

