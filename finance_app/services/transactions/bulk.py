"""Bulk actions on a selection of the user's transactions, all-or-nothing."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import selectinload

from finance_app.db import DbSession
from finance_app.models.ledger import Category, Transaction
from finance_app.services.categorization import categorize
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.scope import Scope, owned, scoped
from finance_app.services.transactions import records as transaction_service
from finance_app.services.transactions import transfers
from finance_app.services.transactions.tagging import tags_by_name

MAX_SELECTION = 1000


class NothingSelected(ValidationFailed):
    """Select at least one transaction."""


class SelectionTooLarge(ValidationFailed):
    """Select at most 1,000 transactions at a time."""


class CannotPair(ValidationFailed):
    """Select transactions that pair up: each money-out with a money-in of the same amount in
    another account."""


def load_selection(session: DbSession, scope: Scope, ids: Iterable[Any]) -> list[Transaction]:
    """The selected rows; if any id is not the user's (or not a number), NotFound: nothing runs."""
    keys: set[int] = set()
    for raw in ids:
        try:
            keys.add(int(raw))
        except (TypeError, ValueError) as exc:
            raise NotFound() from exc
    if not keys:
        raise NothingSelected()
    if len(keys) > MAX_SELECTION:
        raise SelectionTooLarge()
    rows = list(session.scalars(
        scoped(Transaction, scope).where(Transaction.id.in_(keys))
        .options(selectinload(Transaction.account))
        .order_by(Transaction.date, Transaction.id)
    ))
    if len(rows) != len(keys):
        raise NotFound()
    return rows


def recategorize(session: DbSession, scope: Scope, ids: Iterable[Any], category_id: Any) -> int:
    """Set (or clear, with None) the category of every selected row, locking it as the user's."""
    rows = load_selection(session, scope, ids)
    category = owned(session, Category, category_id, scope) if category_id else None
    for txn in rows:
        txn.category_id, txn.category = (category.id, category) if category else (None, None)
        txn.category_source, txn.category_confidence = "user", None
        txn.lock("category")
    session.flush()
    categorize(session, scope, rows)
    return len(rows)


def add_tags(session: DbSession, scope: Scope, ids: Iterable[Any], names: Iterable[str]) -> int:
    rows = load_selection(session, scope, ids)
    tags = tags_by_name(session, scope, names)
    if not tags:
        raise ValidationFailed("Enter the tag to add.")
    for txn in rows:
        have = {t.id for t in txn.tags}
        txn.tags = list(txn.tags) + [t for t in tags if t.id not in have]
        txn.lock("tags")
    session.flush()
    return len(rows)


def delete(session: DbSession, scope: Scope, ids: Iterable[Any], attachment_dir: str | Path) -> int:
    rows = load_selection(session, scope, ids)
    transaction_service.delete_transactions(session, scope, rows, attachment_dir)
    return len(rows)


def mark_transfers(session: DbSession, scope: Scope, ids: Iterable[Any]) -> int:
    """Pair the selection into transfers (closest dates first); returns the number of pairs."""
    rows = load_selection(session, scope, ids)
    outs = [t for t in rows if t.amount < 0]
    ins = [t for t in rows if t.amount > 0]
    if len(outs) != len(ins) or len(outs) + len(ins) != len(rows):
        raise CannotPair()
    pairs: list[tuple[Transaction, Transaction]] = []
    for out in outs:
        options = [t for t in ins if t.account_id != out.account_id and (
            t.amount == -out.amount or t.account.currency != out.account.currency)]
        # Prefer exact same-currency matches, then the closest date.
        options.sort(key=lambda t: (t.amount != -out.amount, abs((t.date - out.date).days)))
        if not options:
            raise CannotPair()
        pairs.append((out, options[0]))
        ins.remove(options[0])
    for out, into in pairs:
        transfers.link(session, scope, out, into)
    return len(pairs)
