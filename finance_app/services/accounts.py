"""Accounts: create, edit, archive, delete, and their balances computed in SQL.

Balances and net worth come from the ledger core (`services/ledger/balances.py`), which holds
the balance rule; this module manages accounts and shows those figures.

For linked accounts (source "plaid") the balance the bank last reported is kept beside the
computed one, and the difference is shown so that missing or duplicated rows stand out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.ledger import (
    ACCOUNT_TYPE_LABELS,
    ACCOUNT_TYPES,
    SOURCE_PLAID,
    Account,
    Transaction,
)
from finance_app.money import ZERO
from finance_app.services.errors import ValidationFailed
from finance_app.services.ledger.balances import Balance, account_balances, net_worth_now
from finance_app.services.ledger.rates import MissingRate, convert_many, normalize_code
from finance_app.services.scope import Scope, owned, scope_filter, scoped

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ICON = re.compile(r"^[a-z0-9-]{1,40}$")


class DuplicateAccount(ValidationFailed):
    """You already have an account with that name."""


@dataclass
class AccountInput:
    """What a person fills in for an account."""

    name: str
    type: str = "checking"
    institution: str = ""
    currency: str = "USD"
    opening_balance: Decimal = ZERO
    opening_date: date | None = None
    color: str = "#4338ca"
    icon: str = "bank"
    group_name: str = ""
    include_in_net_worth: bool = True
    # Private: only its owner (the member who created it) sees it and its transactions.
    is_private: bool = False


@dataclass
class AccountView:
    """An account with its balance, its balance in the base currency, and the sync difference."""

    account: Account
    balance: Balance
    base_balance: Decimal | None  # None: no exchange rate for today
    missing_rate: MissingRate | None = None

    @property
    def is_linked(self) -> bool:
        return self.account.source == SOURCE_PLAID

    @property
    def synced_difference(self) -> Decimal | None:
        """Bank-reported minus computed balance, for linked accounts that have reported one."""
        if not self.is_linked or self.account.synced_balance is None:
            return None
        return self.account.synced_balance - self.balance.balance

    @property
    def group_label(self) -> str:
        return self.account.group_name or ACCOUNT_TYPE_LABELS.get(self.account.type, "Other")


def _validate(session: DbSession, scope: Scope, data: AccountInput, account_id: int | None) -> None:
    data.name = data.name.strip()
    if not data.name or len(data.name) > 120:
        raise ValidationFailed("An account needs a name of at most 120 characters.")
    if data.type not in ACCOUNT_TYPES:
        raise ValidationFailed("Pick an account type from the list.")
    data.currency = normalize_code(data.currency)
    if not isinstance(data.opening_balance, Decimal) or not data.opening_balance.is_finite():
        raise ValidationFailed("The opening balance must be an amount.")
    if not _COLOR.match(data.color or ""):
        raise ValidationFailed("Colours are written like #4338ca.")
    if not _ICON.match(data.icon or ""):
        raise ValidationFailed("Icons are Bootstrap icon names such as 'bank'.")
    data.institution = data.institution.strip()[:120]
    data.group_name = data.group_name.strip()[:60]
    # Names are unique in the household, private accounts included.
    query = select(Account).where(Account.household_id == scope.household_id,
                                  func.lower(Account.name) == data.name.lower())
    if account_id is not None:
        query = query.where(Account.id != account_id)
    if session.scalars(query).first() is not None:
        raise DuplicateAccount()


class NotYourAccount(ValidationFailed):
    """Only the member whose account it is can make it private."""


def _apply(account: Account, data: AccountInput, scope: Scope) -> None:
    for name in ("name", "type", "institution", "currency", "opening_balance", "opening_date",
                 "color", "icon", "group_name", "include_in_net_worth"):
        setattr(account, name, getattr(data, name))
    if data.is_private != account.is_private:
        if account.owner_id is None:
            account.owner_id = scope.member_id
        if data.is_private and (scope.member_id is None or account.owner_id != scope.member_id):
            raise NotYourAccount()
        account.is_private = data.is_private


def create_account(session: DbSession, scope: Scope, data: AccountInput) -> Account:
    _validate(session, scope, data, None)
    account = Account(household_id=scope.household_id, owner_id=scope.member_id,
                      is_private=False)
    _apply(account, data, scope)
    session.add(account)
    session.flush()
    return account


def update_account(
    session: DbSession, scope: Scope, account_id: int, data: AccountInput
) -> Account:
    account = owned(session, Account, account_id, scope)
    _validate(session, scope, data, account.id)
    _apply(account, data, scope)
    session.flush()
    return account


def set_archived(session: DbSession, scope: Scope, account_id: int, archived: bool) -> Account:
    """Archive (hide from lists and from today's net worth) or restore an account."""
    account = owned(session, Account, account_id, scope)
    account.is_archived = archived
    session.flush()
    return account


def delete_account(session: DbSession, scope: Scope, account_id: int) -> int:
    """Delete an account and its transactions; the other halves of its transfers stay, unlinked.

    Returns how many transactions went with it.
    """
    account = owned(session, Account, account_id, scope)
    count = count_transactions(session, scope, account.id)
    session.delete(account)  # transactions go by ON DELETE CASCADE, peers by SET NULL
    session.flush()
    session.expire_all()
    return count


def count_transactions(session: DbSession, scope: Scope, account_id: int) -> int:
    return int(session.scalar(
        select(func.count()).select_from(Transaction)
        .where(scope_filter(Transaction, scope), Transaction.account_id == account_id)
    ) or 0)


def get_account(session: DbSession, scope: Scope, account_id: int) -> Account:
    return owned(session, Account, account_id, scope)


def list_accounts(
    session: DbSession, scope: Scope, include_archived: bool = False
) -> list[Account]:
    query = scoped(Account, scope)
    if not include_archived:
        query = query.where(Account.is_archived.is_(False))
    return list(session.scalars(query.order_by(Account.group_name, Account.type, Account.name)))


def list_account_views(
    session: DbSession, scope: Scope, base_currency: str, include_archived: bool = False,
    on_date: date | None = None,
) -> list[AccountView]:
    """Accounts with balances and base-currency balances (at `on_date`'s rate, default today)."""
    accounts = list_accounts(session, scope, include_archived)
    return build_views(session, scope, accounts, base_currency, on_date)


def build_views(
    session: DbSession, scope: Scope, accounts: Sequence[Account], base_currency: str,
    on_date: date | None = None,
) -> list[AccountView]:
    day = on_date or date.today()
    balances = account_balances(session, scope, accounts, as_of=day)
    converted = convert_many(
        session, scope, [(balances[a.id].balance, a.currency, day) for a in accounts],
        base_currency,
    )
    missing = {m.from_ccy: m for m in converted.missing}
    return [
        AccountView(a, balances[a.id], amount, missing.get(a.currency) if amount is None else None)
        for a, amount in zip(accounts, converted.amounts, strict=True)
    ]


def group_views(views: Sequence[AccountView]) -> list[tuple[str, list[AccountView]]]:
    """Views grouped by the account's group (or its type), groups in first-seen order."""
    groups: dict[str, list[AccountView]] = {}
    for view in sorted(views, key=lambda v: (v.group_label.lower(), v.account.name.lower())):
        groups.setdefault(view.group_label, []).append(view)
    return list(groups.items())


def get_account_view(
    session: DbSession, scope: Scope, account_id: int, base_currency: str
) -> AccountView:
    account = owned(session, Account, account_id, scope)
    return build_views(session, scope, [account], base_currency)[0]


@dataclass(frozen=True)
class Summary:
    """Today's net worth for the accounts page: the ledger's net worth engine, for one day."""

    assets: Decimal
    liabilities: Decimal
    missing: tuple[MissingRate, ...]

    @property
    def net(self) -> Decimal:
        return self.assets - self.liabilities


def summarize(session: DbSession, scope: Scope, base_currency: str,
              on_date: date | None = None) -> Summary:
    """Net worth on `on_date` (default today) by the same rules as the net-worth history."""
    history = net_worth_now(session, scope, base_currency, on_date)
    point = history.latest
    if point is None:
        return Summary(ZERO, ZERO, tuple(history.missing))
    return Summary(point.assets, point.liabilities, tuple(history.missing))
