"""The transactions detection reads: one scoped query of the columns it needs, keyed by the
normalized merchant (or, for a generic name such as "Transfer", the normalized description)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.ml.merchants import merchant_key, normalize_merchant
from finance_app.models.ledger import Category, Transaction
from finance_app.services.scope import Scope, in_scope

if TYPE_CHECKING:  # pandas loads with the first detection, not when the app starts
    import pandas as pd

# Merchant names that say nothing of who was paid: the description tells series apart.
GENERIC_MERCHANTS = frozenset({"", "transfer", "payment", "deposit", "withdrawal"})


def series_key(merchant: str, raw_description: str) -> str:
    """The key transactions of one series share."""
    if merchant.strip().lower() in GENERIC_MERCHANTS:
        return merchant_key(raw_description) or raw_description.strip().lower()
    return merchant_key(merchant) or merchant.strip().lower()


def display_name(merchant: str, raw_description: str) -> str:
    """What a series is called: its merchant, or for a generic one ("Transfer") the cleaned
    description ("Online Transfer To Sav")."""
    if merchant.strip().lower() in GENERIC_MERCHANTS:
        return normalize_merchant(raw_description) or raw_description or merchant
    return merchant


def load_history(session: DbSession, scope: Scope, start: date | None = None,
                 end: date | None = None) -> pd.DataFrame:
    """The scope's transactions (not excluded) as the detection frame."""
    from finance_app.ml.recurring import history_frame

    t = Transaction
    query = (
        select(t.id, t.account_id, t.merchant, t.raw_description, t.date, t.amount,
               t.transfer_peer_id.is_not(None), Category.name, Category.kind)
        .outerjoin(Category, Category.id == t.category_id)
        .where(*in_scope(t, scope), t.is_excluded.is_(False))
    )
    if start is not None:
        query = query.where(t.date >= start)
    if end is not None:
        query = query.where(t.date <= end)
    rows = [
        (txn_id, account_id, series_key(merchant or "", raw or ""),
         display_name(merchant or "", raw or ""),
         day, amount, bool(is_transfer), category or "", kind)
        for txn_id, account_id, merchant, raw, day, amount, is_transfer, category, kind
        in session.execute(query)
    ]
    return history_frame(rows)
