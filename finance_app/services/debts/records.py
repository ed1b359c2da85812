"""Debts of a household: create, edit, delete and list them through the Scope.

A debt linked to a loan or credit-card account follows the ledger: its balance is what the
account owes today by the ledger core's balance rule (`services/ledger/balances.py`), never a
figure kept here. Invalid input raises ValidationFailed and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.debt import DEBT_KINDS, LINKABLE_ACCOUNT_TYPES, Debt
from finance_app.models.ledger import Account
from finance_app.money import ZERO, currency_quantum, quantize
from finance_app.services.debts.planner import DebtSpec, PlanInputError, validate_debt
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.ledger.balances import account_balances
from finance_app.services.ledger.rates import normalize_code
from finance_app.services.scope import Scope, owned, scoped


class DuplicateDebt(ValidationFailed):
    """You already have a debt with that name."""

    field = "name"


class NotALiabilityAccount(ValidationFailed):
    """Link a loan or credit-card account of this household, or none."""

    field = "account_id"


class InvalidDebt(ValidationFailed):
    """Please correct the debt."""

    def __init__(self, message: str | None = None, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class DebtInput:
    """What a person fills in for a debt (`balance` is ignored while an account is linked)."""

    name: str
    kind: str = "other"
    currency: str = "USD"
    balance: Decimal = ZERO
    apr: Decimal = ZERO
    minimum_payment: Decimal = ZERO
    custom_rank: int = 0
    account_id: int | None = None


@dataclass(frozen=True)
class DebtView:
    """A debt with the balance the plan starts from (the ledger's, when linked)."""

    debt: Debt
    balance: Decimal

    @property
    def is_linked(self) -> bool:
        return self.debt.account_id is not None

    def spec(self) -> DebtSpec:
        return DebtSpec(self.debt.name, self.balance, self.debt.apr, self.debt.minimum_payment,
                        self.debt.custom_rank)


def _linked_account(session: DbSession, scope: Scope, account_id: int | None) -> Account | None:
    if account_id is None:
        return None
    try:
        account = owned(session, Account, account_id, scope)
    except NotFound as exc:
        raise NotALiabilityAccount() from exc
    if account.type not in LINKABLE_ACCOUNT_TYPES:
        raise NotALiabilityAccount()
    return account


def _validate(session: DbSession, scope: Scope, data: DebtInput, debt_id: int | None) -> None:
    data.name = (data.name or "").strip()
    if not data.name:
        raise InvalidDebt("A debt needs a name.", "name")
    if len(data.name) > 120:
        raise InvalidDebt("A debt's name has at most 120 characters.", "name")
    if data.kind not in DEBT_KINDS:
        raise InvalidDebt("Pick a kind of debt from the list.", "kind")
    account = _linked_account(session, scope, data.account_id)
    data.currency = account.currency if account is not None else normalize_code(data.currency)
    if account is not None:
        data.balance = ZERO  # the ledger's balance counts, not a copy
    try:
        validate_debt(DebtSpec(data.name, data.balance, data.apr, data.minimum_payment),
                      currency_quantum(data.currency))
    except PlanInputError as exc:
        field = {"minimum": "minimum_payment"}.get(exc.field, exc.field)
        raise InvalidDebt(str(exc), field) from exc
    if not -10_000 <= data.custom_rank <= 10_000:
        raise InvalidDebt("The custom order is a number between -10,000 and 10,000.",
                          "custom_rank")
    query = select(Debt.id).where(Debt.household_id == scope.household_id,
                                  func.lower(Debt.name) == data.name.lower())
    if debt_id is not None:
        query = query.where(Debt.id != debt_id)
    if session.scalars(query).first() is not None:
        raise DuplicateDebt()


def _apply(debt: Debt, data: DebtInput) -> None:
    for name in ("name", "kind", "currency", "balance", "apr", "minimum_payment", "custom_rank",
                 "account_id"):
        setattr(debt, name, getattr(data, name))


def create_debt(session: DbSession, scope: Scope, data: DebtInput) -> Debt:
    _validate(session, scope, data, None)
    debt = Debt(household_id=scope.household_id)
    _apply(debt, data)
    session.add(debt)
    session.flush()
    return debt


def update_debt(session: DbSession, scope: Scope, debt_id: int, data: DebtInput) -> Debt:
    debt = owned(session, Debt, debt_id, scope)
    _validate(session, scope, data, debt.id)
    _apply(debt, data)
    session.flush()
    return debt


def delete_debt(session: DbSession, scope: Scope, debt_id: int) -> str:
    """Delete a debt; returns its name. A linked account is not touched."""
    debt = owned(session, Debt, debt_id, scope)
    name = debt.name
    session.delete(debt)
    session.flush()
    return name


def get_debt(session: DbSession, scope: Scope, debt_id: int) -> Debt:
    return owned(session, Debt, debt_id, scope)


def list_debts(session: DbSession, scope: Scope) -> list[Debt]:
    return list(session.scalars(scoped(Debt, scope).order_by(Debt.name)))


def list_linkable_accounts(session: DbSession, scope: Scope) -> list[Account]:
    """The household's loan and credit-card accounts this member sees, for the link choice."""
    return list(session.scalars(
        scoped(Account, scope).where(Account.type.in_(LINKABLE_ACCOUNT_TYPES))
        .order_by(Account.name)))


def debt_views(session: DbSession, scope: Scope, debts: list[Debt] | None = None,
               on_date: date | None = None) -> list[DebtView]:
    """Debts with the balance owed; a linked one's from the ledger on `on_date` (today).

    A liability account carries a negative balance while money is owed; a positive one (a
    card in credit) owes nothing.
    """
    rows = list_debts(session, scope) if debts is None else debts
    accounts = [d.account for d in rows if d.account is not None]
    balances = account_balances(session, scope, accounts, as_of=on_date or date.today())
    views = []
    for debt in rows:
        owed = debt.balance
        if debt.account is not None and debt.account.id in balances:
            owed = max(ZERO, -balances[debt.account.id].balance)
        views.append(DebtView(debt, quantize(owed, currency_quantum(debt.currency))))
    return views
