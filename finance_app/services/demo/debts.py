"""The demo household's debts: its card and car loan (following their ledger balances) and a
student loan, so the payoff planner has something to plan at once."""

from __future__ import annotations

from decimal import Decimal

from finance_app.db import DbSession
from finance_app.models.debt import Debt
from finance_app.models.ledger import Account
from finance_app.models.user import User
from finance_app.services.debts.records import DebtInput, create_debt
from finance_app.services.households.membership import member_scope
from finance_app.services.scope import scoped


def seed_demo_debts(session: DbSession, user: User) -> str:
    """Idempotent: a household that already has debts keeps them."""
    scope = member_scope(session, user)
    if session.scalars(scoped(Debt, scope)).first() is not None:
        return "debts: kept"
    accounts = {a.name: a.id for a in session.scalars(
        scoped(Account, scope).where(Account.name.in_(("Sapphire Card", "Car Loan"))))}
    planned = [
        DebtInput("Sapphire Card", "credit_card", "USD", Decimal("0"), Decimal("22.99"),
                  Decimal("250"), account_id=accounts.get("Sapphire Card")),
        DebtInput("Car Loan", "auto", "USD", Decimal("18500"), Decimal("6.4"), Decimal("380"),
                  account_id=accounts.get("Car Loan")),
        DebtInput("Student loan", "student", "USD", Decimal("12400"), Decimal("4.99"),
                  Decimal("135")),
    ]
    for data in planned:
        create_debt(session, scope, data)
    return f"debts: {len(planned)} (card and car loan follow their accounts)"

