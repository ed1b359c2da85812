"""Plaid's error bodies as one exception, with the states the app maps them to."""

from __future__ import annotations

import json
from typing import Any

LOGIN_REQUIRED_CODES = frozenset({"ITEM_LOGIN_REQUIRED", "PENDING_EXPIRATION",
                                  "PENDING_DISCONNECT", "ACCESS_NOT_GRANTED"})
MUTATION_DURING_PAGINATION = "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION"
RETRYABLE_CODES = frozenset({"RATE_LIMIT_EXCEEDED", "INTERNAL_SERVER_ERROR",
                             "PLANNED_MAINTENANCE", "INSTITUTION_DOWN",
                             "INSTITUTION_NOT_RESPONDING", "PRODUCT_NOT_READY"})
RETRYABLE_TYPES = frozenset({"RATE_LIMIT_EXCEEDED", "API_ERROR"})
GENERIC_MESSAGE = "The bank connection reported an error. Please try again later."


class PlaidNotConfigured(RuntimeError):
    """Bank sync is not set up on this server: PLAID_CLIENT_ID and PLAID_SECRET are missing."""


class PlaidError(Exception):
    """An error answered by Plaid (or a Plaid-compatible server), as its documented body says."""

    def __init__(self, status: int, error_type: str = "", error_code: str = "",
                 error_message: str = "", display_message: str | None = None,
                 request_id: str = "") -> None:
        super().__init__(f"{status} {error_type}/{error_code}: {error_message}")
        self.status = status
        self.error_type = error_type
        self.error_code = error_code
        self.error_message = error_message
        self.display_message = display_message
        self.request_id = request_id

    @classmethod
    def from_response(cls, status: int, body: Any) -> PlaidError:
        """From an HTTP error: a JSON body in Plaid's shape, or anything else (a proxy's page)."""
        data: dict[str, Any] = {}
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        if isinstance(body, str):
            try:
                loaded = json.loads(body)
            except ValueError:
                loaded = None
            data = loaded if isinstance(loaded, dict) else {}
        elif isinstance(body, dict):
            data = body
        return cls(status, str(data.get("error_type") or ""), str(data.get("error_code") or ""),
                   str(data.get("error_message") or ""), data.get("display_message"),
                   str(data.get("request_id") or ""))

    @property
    def needs_login(self) -> bool:
        return self.error_code in LOGIN_REQUIRED_CODES

    @property
    def is_mutation_during_pagination(self) -> bool:
        return self.error_code == MUTATION_DURING_PAGINATION

    @property
    def is_retryable(self) -> bool:
        """Worth trying again later by itself: rate limits, Plaid's or the bank's outages."""
        return (self.status >= 500 or self.status == 429 or self.status == 0
                or self.error_code in RETRYABLE_CODES or self.error_type in RETRYABLE_TYPES)

    @property
    def user_message(self) -> str:
        """What the page says: Plaid's own message for people when it gives one."""
        if self.display_message:
            return str(self.display_message)
        if self.needs_login:
            return "Your bank needs you to sign in again to keep syncing."
        if self.error_code == "RATE_LIMIT_EXCEEDED":
            return "The bank connection is busy; the sync will be retried shortly."
        if self.is_retryable:
            return "The bank connection is temporarily unavailable; the sync will be retried."
        return GENERIC_MESSAGE
