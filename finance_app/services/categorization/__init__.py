"""The categorization engine: rules, the user's merchant memory and a model that learns per user.

`categorize(session, user_id, transactions)` is the one entry point every source calls.
"""

from __future__ import annotations

from finance_app.services.categorization.engine import CategorizeSummary, categorize

__all__ = ["CategorizeSummary", "categorize"]
