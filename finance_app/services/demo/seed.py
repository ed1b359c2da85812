"""The demo account: a household of two with realistic data for every feature; running it twice
is a no-op."""

from __future__ import annotations

from dataclasses import dataclass, field

from finance_app.db import DbSession, utcnow
from finance_app.models.user import User
from finance_app.security import passwords
from finance_app.services.demo.ledger import seed_demo_ledger
from finance_app.services.households.membership import member_scope
from finance_app.services.identity import provisioning, users

DEMO_PASSWORD = "demo-ledger-horse-battery"


@dataclass
class DemoResult:
    email: str
    password: str
    summary: list[str] = field(default_factory=list)


def seed_demo(session: DbSession, email: str = "demo@example.com") -> DemoResult:
    user = users.get_user_by_email(session, email)
    if user is None:
        user = users.create_user(session, email, DEMO_PASSWORD, "Demo User", check_strength=False)
    else:
        # Same result every run: the documented password always works.
        user.password_hash = passwords.hash_password(DEMO_PASSWORD)
        provisioning.provision_user(session, user)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    session.flush()
    result = DemoResult(email=user.email, password=DEMO_PASSWORD)
    for seeder in DEMO_SEEDERS:
        line = seeder(session, user)
        if line:
            result.summary.append(line)
    return result


# Each feature appends a `seed(session, user) -> summary line` that is idempotent.
DEMO_SEEDERS: list = [seed_demo_ledger]  # the ledger first: other features build on it


def _seed_budgets(session: DbSession, user: User) -> str:
    from finance_app.services.budgets.budgets import seed_demo_budgets

    return seed_demo_budgets(session, user)


DEMO_SEEDERS.append(_seed_budgets)


def _seed_saved_views(session: DbSession, user: User) -> str:
    from finance_app.services.transactions.saved_views import seed_demo_views

    return seed_demo_views(session, member_scope(session, user))


DEMO_SEEDERS.append(_seed_saved_views)


def _seed_debts(session: DbSession, user: User) -> str:
    from finance_app.services.demo.debts import seed_demo_debts

    return seed_demo_debts(session, user)


DEMO_SEEDERS.append(_seed_debts)


def _seed_tax_categories(session: DbSession, user: User) -> str:
    from finance_app.services.demo.reports import seed_demo_tax_categories

    return seed_demo_tax_categories(session, user)


DEMO_SEEDERS.append(_seed_tax_categories)


def _seed_goals(session: DbSession, user: User) -> str:
    from finance_app.services.demo.goals import seed_demo_goals

    return seed_demo_goals(session, user)


DEMO_SEEDERS.append(_seed_goals)


def _seed_investments(session: DbSession, user: User) -> str:
    from finance_app.services.demo.investments import seed_demo_investments

    return seed_demo_investments(session, user)


DEMO_SEEDERS.append(_seed_investments)


def _seed_partner(session: DbSession, user: User) -> str | None:
    from finance_app.services.demo.partner import seed_demo_partner

    return seed_demo_partner(session, user, DEMO_PASSWORD)


DEMO_SEEDERS.append(_seed_partner)


# The categorizer learns from what the seeders before it created, so it runs last.
def _seed_categorizer(session: DbSession, user: User) -> str:
    from finance_app.services.demo.categorizer import seed_demo_categorizer

    return seed_demo_categorizer(session, user)


DEMO_SEEDERS.append(_seed_categorizer)


# Badges are measured on everything the seeders before made, so they come after them.
def _seed_badges(session: DbSession, user: User) -> str:
    from finance_app.services.demo.badges import seed_demo_badges

    return seed_demo_badges(session, user)


DEMO_SEEDERS.append(_seed_badges)


def _seed_weekly_email(session: DbSession, user: User) -> str:
    from finance_app.services.demo.weekly import seed_demo_weekly_email

    return seed_demo_weekly_email(session, user)


DEMO_SEEDERS.append(_seed_weekly_email)


# Bills and anomalies are found in the ledger the seeders before made.
def _seed_recurring(session: DbSession, user: User) -> str:
    from finance_app.services.demo.recurring import seed_demo_recurring

    return seed_demo_recurring(session, user)


DEMO_SEEDERS.append(_seed_recurring)


# Saving recommendations are read from the finished ledger, as the job after an import does.
def _seed_insights(session: DbSession, user: User) -> str:
    from finance_app.services.households.membership import member_scope, shared_scope
    from finance_app.services.insights.store import list_insights, refresh_insights
    from finance_app.services.ledger.periods import user_today

    scope = shared_scope(session, member_scope(session, user).household_id)
    refresh_insights(session, scope, user.base_currency, user_today(user.timezone))
    return f"Savings: {len(list_insights(session, scope))} recommendations"


DEMO_SEEDERS.append(_seed_insights)
