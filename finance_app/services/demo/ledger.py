"""The demo user's ledger: 18 months of realistic accounts, transactions and EUR rates."""

from __future__ import annotations

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import Account
from finance_app.models.user import User
from finance_app.services.demo.sample_data import generate_ledger
from finance_app.services.households.membership import member_scope

DEMO_MONTHS = 18
DEMO_TRANSACTIONS = 3200
DEMO_SEED = 2024


def seed_demo_ledger(session: DbSession, user: User) -> str | None:
    """Generate the ledger once: a user who already has accounts is left alone."""
    household_id = member_scope(session, user).household_id
    if session.scalar(select(Account.id).where(Account.household_id == household_id)
                      .limit(1)) is not None:
        return None
    result = generate_ledger(
        session, user, years=DEMO_MONTHS / 12, target_transactions=DEMO_TRANSACTIONS,
        seed=DEMO_SEED,
    )
    return (
        f"Ledger: {len(result.accounts)} accounts, {result.transactions:,} transactions "
        f"({result.transfers} transfers) since {result.start:%b %Y}, {result.rates} EUR->USD rates"
    )
