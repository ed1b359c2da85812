"""What an alert kind produces: an `Alert` per occurrence, keyed so a second run finds it sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.db import DbSession
from finance_app.money import currency_quantum, quantize
from finance_app.services.scope import Scope

# Kinds that look back over recent days (large transactions, milestones) look this far.
LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Alert:
    kind: str
    # Unique per member and occurrence, e.g. "large_transaction:1234"; ids are global.
    key: str
    # The title carries no amounts (an SMS shows it always); the body may.
    title: str
    body: str
    link: str = "/"
    # The webhook event it is delivered as (None: not sent to webhooks).
    event: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    # False when the feature that produced it already put it under the bell.
    in_app: bool = True
    # The bell's kind (features style by it); "alerts.<kind>" when empty.
    note_kind: str = ""
    # A new-transactions summary: the last transaction id it covers.
    through_id: int | None = None


def amount_text(value: Decimal, currency: str) -> str:
    """An amount for a webhook payload: a string in the currency's decimals ("-12.50")."""
    return str(quantize(value, currency_quantum(currency)))


Collector = Callable[[DbSession, Scope, date], list[Alert]]
