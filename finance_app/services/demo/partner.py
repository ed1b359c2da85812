"""The demo household of two: the demo user (owner) and a partner (editor) with a private
savings account, so shared and private data show at once. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.household import EDITOR, Membership
from finance_app.models.ledger import SOURCE_MANUAL, Account, Transaction
from finance_app.models.user import User
from finance_app.security import passwords
from finance_app.services.households.membership import current_membership
from finance_app.services.identity import users

PARTNER_EMAIL = "partner@example.com"
PRIVATE_ACCOUNT = "Sam's savings"
# (days ago, amount, description) of the partner's private account.
PRIVATE_ROWS = [(150, "2500.00", "Transfer from employer bonus"), (120, "200.00", "Monthly saving"),
                (90, "200.00", "Monthly saving"), (60, "200.00", "Monthly saving"),
                (30, "200.00", "Monthly saving"), (12, "-85.40", "Birthday gift")]


def seed_demo_partner(session: DbSession, user: User, password: str) -> str | None:
    household_id = current_membership(session, user).household_id
    partner = users.get_user_by_email(session, PARTNER_EMAIL)
    if partner is None:
        partner = users.create_user(session, PARTNER_EMAIL, password, "Sam Partner",
                                    check_strength=False)
    partner.password_hash = passwords.hash_password(password)
    partner.email_verified_at = partner.email_verified_at or utcnow()
    if session.scalar(select(Membership).where(Membership.household_id == household_id,
                                               Membership.user_id == partner.id)) is None:
        session.add(Membership(household_id=household_id, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household_id
    session.flush()
    existing = session.scalar(select(Account).where(Account.household_id == household_id,
                                                    Account.name == PRIVATE_ACCOUNT))
    if existing is not None:
        return None
    account = Account(household_id=household_id, owner_id=partner.id, is_private=True,
                      name=PRIVATE_ACCOUNT, type="savings", institution="Credit Union",
                      currency=user.base_currency or "USD", opening_balance=Decimal("1000.00"),
                      opening_date=date.today() - timedelta(days=200), color="#0f766e",
                      icon="piggy-bank")
    session.add(account)
    session.flush()
    today = date.today()
    for days, amount, text in PRIVATE_ROWS:
        session.add(Transaction(
            household_id=household_id, account_id=account.id, created_by_id=partner.id,
            date=today - timedelta(days=days), amount=Decimal(amount), raw_description=text,
            merchant=text, source=SOURCE_MANUAL, locked_fields=[]))
    session.flush()
    return (f"Household: {user.email} (owner) and {PARTNER_EMAIL} (editor, same password) "
            f"with a private account “{PRIVATE_ACCOUNT}”")
