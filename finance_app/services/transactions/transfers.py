"""Transfers between two of the user's accounts: link, unlink, and suggest likely pairs.

A linked pair is neither income nor spending (services/transactions/cashflow.py has the SQL rule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from finance_app.db import DbSession
from finance_app.models.ledger import TRANSFER, Account, Category, SplitLine, Transaction
from finance_app.services.categorization import categorize
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, owned, scope_filter, scoped


class SameTransaction(ValidationFailed):
    """Pick two different transactions."""


class SameAccount(ValidationFailed):
    """A transfer moves money between two different accounts."""


class SignsNotOpposite(ValidationFailed):
    """A transfer pairs money out of one account with money into another."""


class AmountsDiffer(ValidationFailed):
    """Both halves of a transfer in the same currency must have the same amount."""


class AlreadyLinked(ValidationFailed):
    """One of these transactions is already part of another transfer; unlink it first."""


class SplitTransfer(ValidationFailed):
    """A split transaction cannot be part of a transfer; unsplit it first."""


class NotATransfer(ValidationFailed):
    """This transaction is not linked as a transfer."""


@dataclass(frozen=True)
class TransferSuggestion:
    outflow: Transaction
    inflow: Transaction
    days_apart: int


def find_transfer_category(session: DbSession, scope: Scope) -> Category | None:
    """The user's "Transfer" category: a transfer-kind leaf named like it, else any of that kind."""
    named = case((func.lower(Category.name).in_(["transfer", "transfers"]), 0), else_=1)
    leaf = case((Category.parent_id.is_not(None), 0), else_=1)
    return session.scalars(
        scoped(Category, scope).where(Category.kind == TRANSFER)
        .order_by(named, leaf, Category.id).limit(1)
    ).first()


def link_transfer(session: DbSession, scope: Scope, first_id: Any, second_id: Any
                  ) -> tuple[Transaction, Transaction]:
    first = owned(session, Transaction, first_id, scope)
    second = owned(session, Transaction, second_id, scope)
    link(session, scope, first, second)
    return first, second


def link(session: DbSession, scope: Scope, first: Transaction, second: Transaction) -> None:
    """Link two owned transactions as a transfer pair, after checking they can be one."""
    check_pair(first, second)
    first.transfer_peer_id, second.transfer_peer_id = second.id, first.id
    category = find_transfer_category(session, scope)
    for txn in (first, second):
        if category is not None:
            txn.category_id, txn.category = category.id, category
            txn.category_source, txn.category_confidence = "user", None
            txn.lock("category")
    session.flush()


def check_pair(first: Transaction, second: Transaction) -> None:
    if first.id == second.id:
        raise SameTransaction()
    if first.account_id == second.account_id:
        raise SameAccount()
    if (first.amount < 0) == (second.amount < 0) or first.amount == 0 or second.amount == 0:
        raise SignsNotOpposite()
    # Across currencies the amounts differ by the exchange rate of the day; the person decides.
    if first.account.currency == second.account.currency and first.amount != -second.amount:
        raise AmountsDiffer()
    for txn, other in ((first, second), (second, first)):
        if txn.transfer_peer_id not in (None, other.id):
            raise AlreadyLinked()
        if txn.splits:
            raise SplitTransfer()


def unlink_transfer(session: DbSession, scope: Scope, txn_id: Any) -> None:
    txn = owned(session, Transaction, txn_id, scope)
    if txn.transfer_peer_id is None:
        raise NotATransfer()
    unlink(session, scope, txn)


def unlink(session: DbSession, scope: Scope, txn: Transaction) -> None:
    """Break the pair; a transfer category the link put there goes, and the categorizer re-runs."""
    pair = [txn]
    if txn.transfer_peer_id is not None:
        peer = session.get(Transaction, txn.transfer_peer_id)
        if peer is not None and peer.household_id == scope.household_id \
                and peer.account_id not in scope.hidden_account_ids:
            pair.append(peer)
    for row in pair:
        row.transfer_peer_id = None
        if row.category is not None and row.category.kind == TRANSFER:
            row.category_id, row.category = None, None
            row.category_source = None
            row.locked_fields = [f for f in (row.locked_fields or []) if f != "category"]
    session.flush()
    categorize(session, scope, pair)


def _days_between(session: DbSession, a: Any, b: Any) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "sqlite":
        return func.abs(func.julianday(a) - func.julianday(b))
    return func.abs(a - b)  # PostgreSQL: date - date is a whole number of days


def suggest_transfer_pairs(
    session: DbSession, scope: Scope, window_days: int = 3, limit: int = 100
) -> list[TransferSuggestion]:
    """Likely transfers: same amount with opposite signs, same currency, different accounts,
    at most `window_days` apart, neither half linked or excluded. One self-join finds the
    candidates; each transaction is then used once, closest dates first."""
    out, into = aliased(Transaction), aliased(Transaction)
    out_account, into_account = aliased(Account), aliased(Account)
    gap = _days_between(session, out.date, into.date)
    candidates = session.execute(
        select(out.id, into.id, gap)
        .join(into, and_(
            scope_filter(into, scope),
            into.amount == -out.amount,
            into.account_id != out.account_id,
            into.transfer_peer_id.is_(None),
            into.is_excluded.is_(False),
            ~exists().where(SplitLine.transaction_id == into.id),
        ))
        .join(out_account, out_account.id == out.account_id)
        .join(into_account, into_account.id == into.account_id)
        .where(
            scope_filter(out, scope),
            out.amount < 0,
            out.transfer_peer_id.is_(None),
            out.is_excluded.is_(False),
            ~exists().where(SplitLine.transaction_id == out.id),
            out_account.currency == into_account.currency,
            gap <= window_days,
        )
        .order_by(gap, out.date.desc(), out.id, into.id)
        .limit(limit * 10)
    ).all()
    used: set[int] = set()
    chosen: list[tuple[int, int, int]] = []
    for out_id, into_id, days in candidates:
        if out_id in used or into_id in used:
            continue
        used.update((out_id, into_id))
        chosen.append((out_id, into_id, int(days)))
        if len(chosen) >= limit:
            break
    rows = {
        t.id: t for t in session.scalars(
            scoped(Transaction, scope).where(Transaction.id.in_(used))
            .options(selectinload(Transaction.account))
        )
    }
    suggestions = [TransferSuggestion(rows[o], rows[i], d) for o, i, d in chosen]
    suggestions.sort(key=lambda s: (s.outflow.date, s.outflow.id), reverse=True)
    return suggestions
