"""The categorization engine: rules, the user's merchant memory and a model that learns per user.

`categorize(session, user_id, transactions)` is the one entry point every source calls;
`categorize_ids(session, user_id, ids)` does the same for bulk writers that hold no ORM objects.
"""

from __future__ import annotations

from finance_app.services.categorization.engine import (
    CategorizeSummary,
    categorize,
    categorize_ids,
)

__all__ = ["CategorizeSummary", "categorize", "categorize_ids"]
