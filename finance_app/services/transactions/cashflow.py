"""Transaction-level income/spending filters for the transactions page (search totals, kinds).

Excluded rows and transfers (a linked pair, or a category of kind "transfer") are left out; of the
rest, negative amounts are spending and positive amounts income, so a refund counts as income and
a split transaction as its total. Reports, the dashboard and budgets do NOT use this: their rule
is `services/ledger/lines.py` (and `ledger_summary.py`), which nets refunds against their category
and counts split lines by their own categories.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, and_, or_, select

from finance_app.models.ledger import TRANSFER, Category, Transaction


def transfer_category_ids() -> ScalarSelect[int]:
    """A scalar subquery of every category id of kind transfer (ids are global, no user needed)."""
    return select(Category.id).where(Category.kind == TRANSFER).scalar_subquery()


def transfer_filter() -> ColumnElement[bool]:
    """Linked as a transfer pair, or put in a category of kind transfer."""
    return or_(
        Transaction.transfer_peer_id.is_not(None),
        and_(
            Transaction.category_id.is_not(None),
            Transaction.category_id.in_(transfer_category_ids()),
        ),
    )


def non_transfer_filter() -> ColumnElement[bool]:
    """The exact complement of transfer_filter().

    Written without NOT around a nullable comparison, so uncategorized rows (NULL category)
    are included under SQL's three-valued logic.
    """
    return and_(
        Transaction.transfer_peer_id.is_(None),
        or_(
            Transaction.category_id.is_(None),
            Transaction.category_id.not_in(transfer_category_ids()),
        ),
    )


def counted_filter() -> ColumnElement[bool]:
    """Counts in income and spending: not excluded and not a transfer."""
    return and_(Transaction.is_excluded.is_(False), non_transfer_filter())


def spending_filter() -> ColumnElement[bool]:
    """Money out that counts as spending."""
    return and_(counted_filter(), Transaction.amount < 0)


def income_filter() -> ColumnElement[bool]:
    """Money in that counts as income."""
    return and_(counted_filter(), Transaction.amount > 0)
