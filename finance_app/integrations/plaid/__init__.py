"""The one wrapper around plaid-python: settings, calls, errors, webhook verification.

plaid-python is imported when a call is made, never at start-up. Responses are read as plain
JSON (amounts as Decimal) rather than through plaid-python's strict models, so optional fields
that are absent or null never break a sync; requests are built with plaid-python's own models.
"""

from __future__ import annotations

from finance_app.integrations.plaid.client import PlaidClient, PlaidSettings
from finance_app.integrations.plaid.errors import PlaidError, PlaidNotConfigured

__all__ = ["PlaidClient", "PlaidError", "PlaidNotConfigured", "PlaidSettings"]
