"""The categorization engine: rules, the user's merchant memory and a model that learns per user.

`categorize(session, scope, transactions)` is the one entry point every source calls;
`categorize_ids(session, scope, ids)` does the same for bulk writers that hold no ORM objects,
and `decide_new(session, scope, new)` gives the same decisions for rows not written yet, so a
bulk writer stores them with the rows instead of updating every row afterwards.
"""

from __future__ import annotations

from finance_app.services.categorization.engine import (
    CategorizeSummary,
    CategoryDecision,
    NewTransaction,
    categorize,
    categorize_ids,
    decide_new,
)

__all__ = [
    "CategorizeSummary", "CategoryDecision", "NewTransaction", "categorize", "categorize_ids",
    "decide_new",
]  # fmt: skip
