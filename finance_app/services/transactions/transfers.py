"""Transfers between two of the user's accounts: link, unlink, and suggest likely pairs.

A linked pair is neither income nor spending (services/transactions/cashflow.py has the SQL rule).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import Any

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import selectinload

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


@dataclass(frozen=True, slots=True)
class _Half:
    id: int
    account_id: int
    day: date


def _unlinked_halves(session: DbSession, scope: Scope
                     ) -> tuple[dict[tuple, list[_Half]], dict[tuple, list[_Half]]]:
    """Money out and money in that could be half of a transfer, keyed by (currency, size)."""
    rows = session.execute(
        select(Transaction.id, Transaction.account_id, Transaction.date, Transaction.amount,
               Account.currency)
        .join(Account, Account.id == Transaction.account_id)
        .where(
            scope_filter(Transaction, scope),
            Transaction.transfer_peer_id.is_(None),
            Transaction.is_excluded.is_(False),
            Transaction.amount != 0,
            ~exists().where(SplitLine.transaction_id == Transaction.id),
        )
    )
    outs: dict[tuple, list[_Half]] = defaultdict(list)
    ins: dict[tuple, list[_Half]] = defaultdict(list)
    for txn_id, account_id, day, amount, currency in rows:
        side = outs if amount < 0 else ins
        side[(currency, abs(amount))].append(_Half(txn_id, account_id, day))
    return outs, ins


def suggest_transfer_pairs(
    session: DbSession, scope: Scope, window_days: int = 3, limit: int = 100
) -> list[TransferSuggestion]:
    """Likely transfers: same amount with opposite signs, same currency, different accounts,
    at most `window_days` apart, neither half linked or excluded. One scan of the unlinked
    rows, paired in memory by (currency, amount) and date (a self-join on the amount took
    seconds on a few thousand rows); each transaction is used once, closest dates first."""
    outs, ins = _unlinked_halves(session, scope)
    window = timedelta(days=window_days)
    candidates: list[tuple[int, int, int, int]] = []  # (gap, -out date, out id, in id)
    for key, out_halves in outs.items():
        in_halves = sorted(ins.get(key, ()), key=attrgetter("day"))
        if not in_halves:
            continue
        in_days = [half.day for half in in_halves]
        for out in out_halves:
            first = bisect_left(in_days, out.day - window)
            last = bisect_right(in_days, out.day + window)
            for into in in_halves[first:last]:
                if into.account_id != out.account_id:
                    candidates.append((abs((into.day - out.day).days), -out.day.toordinal(),
                                       out.id, into.id))
    candidates.sort()
    used: set[int] = set()
    chosen: list[tuple[int, int, int]] = []
    for gap, _, out_id, into_id in candidates:
        if out_id in used or into_id in used:
            continue
        used.update((out_id, into_id))
        chosen.append((out_id, into_id, gap))
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
