"""A member's alert choices: per kind email, SMS and webhook (in-app is always on), the amount
that makes a transaction "large", and a low-balance level per cash account. All are the
member's own (not household data), so a viewer sets them too.

Email for budgets, goals and bank connections is the same switch as before (the user's
`notify_*_email`), so the profile page and this one never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.models.ledger import Account
from finance_app.models.recurring import (
    ALERT_KINDS,
    BUDGET_THRESHOLD,
    GOAL_MILESTONE,
    LARGE_TRANSACTION,
    SYNC_ATTENTION,
    AlertPreference,
    BalanceThreshold,
)
from finance_app.models.user import User
from finance_app.money import MoneyError, parse_amount
from finance_app.services.errors import DomainError
from finance_app.services.scope import Scope, scoped

# Cash accounts: what a low balance means (cards and loans owe; investments move daily).
CASH_TYPES = ("checking", "savings", "cash")
EMAIL_FLAGS = {BUDGET_THRESHOLD: "notify_budget_email", GOAL_MILESTONE: "notify_goal_email",
               SYNC_ATTENTION: "notify_bank_email"}


class ThresholdInvalid(DomainError):
    """Enter an amount like 250 or 1,000.00 (or leave it empty for none)."""


def _preferences(session: DbSession, user_id: int) -> dict[str, AlertPreference]:
    return {p.kind: p for p in session.scalars(
        select(AlertPreference).where(AlertPreference.user_id == user_id))}


def email_kinds(session: DbSession, user_id: int) -> set[str]:
    kinds = {kind for kind, p in _preferences(session, user_id).items()
             if p.email and kind not in EMAIL_FLAGS}
    user = session.get(User, user_id)
    if user is not None:
        kinds |= {kind for kind, flag in EMAIL_FLAGS.items() if getattr(user, flag)}
    return kinds


def webhook_kinds(session: DbSession, user_id: int) -> set[str]:
    """Kinds sent to the member's webhooks: all unless turned off."""
    off = {kind for kind, p in _preferences(session, user_id).items() if not p.webhook}
    return set(ALERT_KINDS) - off


def set_channels(session: DbSession, user_id: int, email: set[str],
                 sms: set[str] | None = None, webhook: set[str] | None = None) -> None:
    """The member's channels per kind (unknown kinds are ignored; None leaves one as it is)."""
    existing = _preferences(session, user_id)
    user = session.get(User, user_id)
    for kind in ALERT_KINDS:
        preference = existing.get(kind)
        if preference is None:
            preference = AlertPreference(user_id=user_id, kind=kind, webhook=True)
            session.add(preference)
        if kind in EMAIL_FLAGS and user is not None:
            setattr(user, EMAIL_FLAGS[kind], kind in email)
            preference.email = False
        else:
            preference.email = kind in email
        if sms is not None:
            preference.sms = kind in sms
        if webhook is not None:
            preference.webhook = kind in webhook
    session.flush()


def _amount(text: str) -> Decimal | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        amount = abs(parse_amount(text))
    except MoneyError as exc:
        raise ThresholdInvalid() from exc
    return amount


def get_large_threshold(session: DbSession, user_id: int) -> Decimal | None:
    preference = _preferences(session, user_id).get(LARGE_TRANSACTION)
    return preference.threshold if preference is not None else None


def set_large_threshold(session: DbSession, user_id: int, text: str) -> Decimal | None:
    amount = _amount(text)
    preference = _preferences(session, user_id).get(LARGE_TRANSACTION)
    if preference is None:
        preference = AlertPreference(user_id=user_id, kind=LARGE_TRANSACTION, webhook=True)
        session.add(preference)
    preference.threshold = amount
    session.flush()
    return amount


def list_cash_accounts(session: DbSession, scope: Scope) -> list[Account]:
    return list(session.scalars(scoped(Account, scope).where(
        Account.type.in_(CASH_TYPES), Account.is_archived.is_(False)).order_by(Account.name)))


def balance_levels(session: DbSession, scope: Scope) -> dict[int, Decimal]:
    """The member's low-balance level per account of this household they can see."""
    ids = [a.id for a in list_cash_accounts(session, scope)]
    if scope.member_id is None or not ids:
        return {}
    return {t.account_id: t.amount for t in session.scalars(select(BalanceThreshold).where(
        BalanceThreshold.user_id == scope.member_id, BalanceThreshold.account_id.in_(ids)))}


def set_balance_levels(session: DbSession, scope: Scope, levels: dict[str, str]) -> None:
    """`levels` maps account id -> amount text; empty removes the level. Accounts the member
    cannot see (or not cash) are ignored. All amounts are checked before anything changes."""
    if scope.member_id is None:
        return
    accounts = {str(a.id): a for a in list_cash_accounts(session, scope)}
    parsed = {accounts[key].id: _amount(text) for key, text in levels.items() if key in accounts}
    existing = {t.account_id: t for t in session.scalars(select(BalanceThreshold).where(
        BalanceThreshold.user_id == scope.member_id,
        BalanceThreshold.account_id.in_(list(parsed) or [0])))}
    for account_id, amount in parsed.items():
        row = existing.get(account_id)
        if amount is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(BalanceThreshold(user_id=scope.member_id, account_id=account_id,
                                         amount=amount))
        else:
            row.amount = amount
    session.flush()


@dataclass(frozen=True)
class Choices:
    email: set[str]
    sms: set[str]
    webhook: set[str]
    large_threshold: Decimal | None
    balance_levels: dict[int, Decimal]


def get_choices(session: DbSession, scope: Scope, user_id: int) -> Choices:
    preferences = _preferences(session, user_id)
    return Choices(email=email_kinds(session, user_id),
                   sms={k for k, p in preferences.items() if p.sms},
                   webhook=webhook_kinds(session, user_id),
                   large_threshold=get_large_threshold(session, user_id),
                   balance_levels=balance_levels(session, scope))
