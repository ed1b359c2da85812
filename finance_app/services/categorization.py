"""The single entry point every source calls to categorize new or changed transactions.

Manual entry, file import, Plaid sync and rule re-runs all call `categorize()`; the engine decides
per transaction (rules, then the user's own history, then the model) and records which step
decided and how sure it was. Fields the user set by hand are never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from finance_app.models.ledger import Transaction


def categorize(session: Session, user_id: int, transactions: Sequence[Transaction]) -> None:
    """Categorize `transactions` of `user_id` in place (the engine fills this in)."""
    for txn in transactions:
        if txn.user_id != user_id:
            raise ValueError("transaction belongs to another user")
