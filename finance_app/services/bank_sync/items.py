"""Linked Items: linking (public token exchange), listing, matching their accounts to the
household's, states after errors, and unlinking with or without the synced history."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select

from finance_app.db import DbSession, utcnow
from finance_app.integrations.plaid import PlaidClient, PlaidError
from finance_app.models.bank_sync import (
    ITEM_GOOD,
    ITEM_NEEDS_REAUTH,
    RUN_ACTIVE,
    PlaidAccount,
    PlaidItem,
    SyncRun,
)
from finance_app.models.household import Membership
from finance_app.models.ledger import SOURCE_MANUAL, SOURCE_PLAID, Account, Transaction
from finance_app.services.bank_sync.tokens import open_access_token, seal_access_token
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.notifications import notify
from finance_app.services.scope import Scope, owned, scoped

# Plaid account (type, subtype) -> the household's account type.
_TYPES = {"depository": "checking", "credit": "credit_card", "loan": "loan",
          "investment": "investment", "brokerage": "investment"}
_SUBTYPES = {"savings": "savings", "money market": "savings", "cd": "savings",
             "credit card": "credit_card", "mortgage": "loan", "student": "loan"}
NEW_ACCOUNT = "new"


class AlreadyLinked(DomainError):
    """This bank login is already linked to your household. Use "Sync now" on the bank
    connections page, or re-authenticate it there if it needs it."""


class NotLinkedError(DomainError):
    """The bank could not be linked. Please try again."""


@dataclass(frozen=True)
class LinkedItem:
    item: PlaidItem
    created_accounts: int


def account_type(plaid_type: str, subtype: str) -> str:
    return _SUBTYPES.get(subtype or "", _TYPES.get(plaid_type or "", "other_asset"))


def list_items(session: DbSession, scope: Scope) -> list[PlaidItem]:
    return list(session.scalars(scoped(PlaidItem, scope).order_by(PlaidItem.id)))


def get_item(session: DbSession, scope: Scope, item_id: Any) -> PlaidItem:
    return owned(session, PlaidItem, item_id, scope)


def list_runs(session: DbSession, scope: Scope, item: PlaidItem, limit: int = 10) -> list[SyncRun]:
    return list(session.scalars(
        scoped(SyncRun, scope).where(SyncRun.item_id == item.id)
        .order_by(SyncRun.id.desc()).limit(limit)))


def _balance(balances: dict[str, Any], name: str) -> Decimal | None:
    value = (balances or {}).get(name)
    return None if value is None else Decimal(str(value))


def _store_accounts(session: DbSession, item: PlaidItem, accounts: list[dict[str, Any]]) -> None:
    """Add or refresh the Item's accounts as Plaid lists them (balances included)."""
    known = {a.plaid_account_id: a for a in item.accounts}
    for data in accounts:
        plaid_id = str(data.get("account_id") or "")
        if not plaid_id:
            continue
        row = known.get(plaid_id)
        if row is None:
            row = PlaidAccount(household_id=item.household_id, plaid_account_id=plaid_id)
            item.accounts.append(row)
        balances = data.get("balances") or {}
        row.name = str(data.get("name") or "Account")[:120]
        row.official_name = str(data.get("official_name") or "")[:200]
        row.mask = str(data.get("mask") or "")[:10]
        row.type = str(data.get("type") or "")[:30]
        row.subtype = str(data.get("subtype") or "")[:30]
        row.currency = str(balances.get("iso_currency_code") or "USD")[:3]
        row.current_balance = _balance(balances, "current")
        row.available_balance = _balance(balances, "available")
    session.flush()


def _same_login(existing: PlaidItem, institution_id: str, accounts: list[dict[str, Any]]) -> bool:
    """Plaid's advice for duplicate Items: same institution and an account with the same name
    and mask."""
    if existing.institution_id != institution_id:
        return False
    theirs = {(a.name, a.mask) for a in existing.accounts}
    return any((str(a.get("name") or ""), str(a.get("mask") or "")) in theirs for a in accounts)


def link_item(session: DbSession, scope: Scope, client: PlaidClient, public_token: str,
              keys: str) -> PlaidItem:
    """Exchange Link's public token and store the Item with its accounts (not yet matched).

    The same institution login linked twice is refused: the new Item is removed at Plaid so it
    is not billed, and AlreadyLinked says what to do instead.
    """
    try:
        exchanged = client.exchange_public_token(public_token)
        details = client.get_item(exchanged.access_token).get("item") or {}
        accounts = client.get_accounts(exchanged.access_token)
    except PlaidError as exc:
        raise NotLinkedError(exc.user_message) from exc
    institution_id = str(details.get("institution_id") or "")
    for existing in list_items(session, scope):
        if existing.item_id == exchanged.item_id or _same_login(existing, institution_id,
                                                                 accounts):
            if existing.item_id != exchanged.item_id:
                # The refusal stands if this fails: Plaid expires unused Items by itself.
                with contextlib.suppress(PlaidError):
                    client.remove_item(exchanged.access_token)
            raise AlreadyLinked()
    item = PlaidItem(
        household_id=scope.household_id, created_by_id=scope.member_id,
        item_id=exchanged.item_id,
        access_token_encrypted=seal_access_token(exchanged.access_token, keys),
        institution_id=institution_id,
        institution_name=(client.get_institution_name(institution_id)
                          if institution_id else "")[:120] or "Bank",
        products=list(details.get("products") or details.get("billed_products") or []),
        status=ITEM_GOOD,
    )
    session.add(item)
    session.flush()
    _store_accounts(session, item, accounts)
    return item


def list_matchable_accounts(session: DbSession, scope: Scope) -> list[Account]:
    """Accounts a Plaid account may be matched to: open ones not fed by another Item."""
    fed = select(PlaidAccount.account_id).where(PlaidAccount.account_id.is_not(None),
                                                PlaidAccount.household_id == scope.household_id)
    return list(session.scalars(
        scoped(Account, scope).where(Account.is_archived.is_(False), Account.id.not_in(fed))
        .order_by(Account.name)))


def _unique_name(session: DbSession, household_id: int, name: str, mask: str) -> str:
    taken = set(session.scalars(select(Account.name).where(Account.household_id == household_id)))
    candidates = [name, f"{name} ··{mask}" if mask else name]
    candidates += [f"{name} ({n})" for n in range(2, 50)]
    return next(c for c in candidates if c not in taken)[:120]


def create_account_for(session: DbSession, item: PlaidItem, plaid_account: PlaidAccount,
                       owner_id: int | None) -> Account:
    account = Account(
        household_id=item.household_id,
        name=_unique_name(session, item.household_id, plaid_account.name, plaid_account.mask),
        type=account_type(plaid_account.type, plaid_account.subtype),
        institution=item.institution_name, currency=plaid_account.currency or "USD",
        owner_id=owner_id, source=SOURCE_PLAID, external_id=plaid_account.plaid_account_id,
    )
    session.add(account)
    session.flush()
    plaid_account.account_id = account.id
    return account


def match_accounts(session: DbSession, scope: Scope, item: PlaidItem,
                   choices: dict[int, str]) -> None:
    """Apply the user's choice per Plaid account: NEW_ACCOUNT, or the id of one of the
    household's accounts (its history and the synced rows merge: duplicates are matched)."""
    allowed = {a.id: a for a in list_matchable_accounts(session, scope)}
    picked: set[int] = set()
    for plaid_account in item.accounts:
        choice = choices.get(plaid_account.id, NEW_ACCOUNT)
        if plaid_account.account_id is not None:
            continue  # already matched: rows are flowing into it
        if choice == NEW_ACCOUNT:
            create_account_for(session, item, plaid_account, scope.member_id)
            continue
        if not choice.isdigit() or int(choice) not in allowed or int(choice) in picked:
            raise DomainError("Pick a different account for each bank account.")
        account = allowed[int(choice)]
        picked.add(account.id)
        plaid_account.account_id = account.id
        account.source, account.external_id = SOURCE_PLAID, plaid_account.plaid_account_id
        account.institution = account.institution or item.institution_name
    item.accounts_confirmed = True
    session.flush()


def set_item_state(session: DbSession, item: PlaidItem, status: str, code: str = "",
                   message: str = "") -> bool:
    """Change an Item's state; True when it changed (so members are told once)."""
    changed = item.status != status
    item.status, item.error_code, item.error_message = status, code[:80], message[:500]
    if changed:
        item.status_changed_at = utcnow()
    return changed


def notify_members(session: DbSession, item: PlaidItem, title: str, body: str) -> list[int]:
    """An in-app notification to every member of the Item's household; their user ids."""
    members = list(session.scalars(
        select(Membership.user_id).where(Membership.household_id == item.household_id)))
    for user_id in members:
        notify(session, user_id, "bank_sync", title, body, link="/bank-sync/")
    return members


def mark_login_repaired(session: DbSession, item: PlaidItem) -> None:
    """After Link in update mode, or Plaid's LOGIN_REPAIRED webhook."""
    if item.status != ITEM_GOOD:
        set_item_state(session, item, ITEM_GOOD)


def mark_needs_reauth(session: DbSession, item: PlaidItem, code: str, message: str) -> bool:
    return set_item_state(session, item, ITEM_NEEDS_REAUTH, code, message)


def unlink_item(session: DbSession, scope: Scope, client: PlaidClient | None, item_id: Any,
                keys: str, *, delete_history: bool) -> None:
    """Remove the Item at Plaid (/item/remove) and here. The accounts stay as plain accounts
    with their history, unless `delete_history`: then the synced transactions go too (and an
    account left empty that the Item created)."""
    item = get_item(session, scope, item_id)
    if any(run.status in RUN_ACTIVE for run in list_runs(session, scope, item, limit=3)):
        raise DomainError("This bank is syncing right now; try again in a moment.")
    if client is not None:
        try:
            client.remove_item(open_access_token(item, keys))
        except PlaidError as exc:
            # An Item Plaid no longer knows is removed here all the same.
            if exc.error_code not in ("ITEM_NOT_FOUND", "INVALID_ACCESS_TOKEN"):
                raise DomainError(exc.user_message) from exc
    account_ids = [a.account_id for a in item.accounts if a.account_id is not None]
    if delete_history and account_ids:
        session.execute(delete(Transaction).where(
            Transaction.household_id == item.household_id,
            Transaction.account_id.in_(account_ids), Transaction.source == SOURCE_PLAID))
        for account in session.scalars(select(Account).where(Account.id.in_(account_ids))):
            has_rows = session.scalar(select(Transaction.id).where(
                Transaction.account_id == account.id).limit(1))
            if has_rows is None and account.source == SOURCE_PLAID:
                session.delete(account)
    for account in session.scalars(select(Account).where(Account.id.in_(account_ids))):
        account.source = SOURCE_MANUAL  # no longer fed: a plain account with its history
    session.delete(item)
    session.flush()


def find_item_by_plaid_id(session: DbSession, plaid_item_id: str) -> PlaidItem:
    """For webhooks, which name the Item by Plaid's id alone."""
    item = session.scalar(select(PlaidItem).where(PlaidItem.item_id == plaid_item_id))
    if item is None:
        raise NotFound()
    return item
