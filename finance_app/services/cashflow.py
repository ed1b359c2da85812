"""What counts as income and spending: the SQL rules every report and the dashboard reuse.

A transaction counts in cash flow when it is not excluded, not one half of a linked transfer and
its category is not of kind "transfer". Of those, negative amounts are spending and positive
amounts are income (a refund in an expense category is positive: it shows as income here, and
per-category reports net it against that category's spending).
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
