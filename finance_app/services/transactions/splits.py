"""Split one transaction into category lines that add up exactly to it; and undo that."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from finance_app.db import DbSession
from finance_app.models.ledger import Category, SplitLine, Transaction
from finance_app.money import STORAGE_QUANTUM, format_money
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, owned

MAX_LINES = 50


class TooFewLines(ValidationFailed):
    """A split needs at least two lines."""


class TooManyLines(ValidationFailed):
    """A split can have at most 50 lines."""


class ZeroLine(ValidationFailed):
    """Every split line needs an amount other than zero."""


class SplitMismatch(ValidationFailed):
    """The split lines must add up to the transaction's amount."""


class TransferSplit(ValidationFailed):
    """A transfer cannot be split; unlink it first."""


class NotSplit(ValidationFailed):
    """This transaction is not split."""


@dataclass(frozen=True)
class SplitInput:
    amount: Decimal
    category_id: int | None = None
    note: str = ""


def split_transaction(
    session: DbSession, scope: Scope, txn_id: Any, lines: list[SplitInput]
) -> Transaction:
    """Replace the transaction's split lines; the lines' sum must equal its amount exactly."""
    txn = owned(session, Transaction, txn_id, scope)
    if txn.is_transfer:
        raise TransferSplit()
    if len(lines) < 2:
        raise TooFewLines()
    if len(lines) > MAX_LINES:
        raise TooManyLines()
    for line in lines:
        if not isinstance(line.amount, Decimal) or not line.amount.is_finite() or line.amount == 0:
            raise ZeroLine()
        if line.amount != line.amount.quantize(STORAGE_QUANTUM):
            raise ValidationFailed("Split amounts can have at most four decimal places.")
    total = sum((line.amount for line in lines), Decimal(0))
    if total != txn.amount:
        currency = txn.account.currency
        raise SplitMismatch(
            f"The lines add up to {format_money(total, currency)} but the transaction is "
            f"{format_money(txn.amount, currency)}: "
            f"{format_money(txn.amount - total, currency, signed=True)} left to assign."
        )
    categories = {
        line.category_id: owned(session, Category, line.category_id, scope)
        for line in lines if line.category_id is not None
    }
    txn.splits = [
        SplitLine(
            amount=line.amount,
            category_id=line.category_id,
            category=categories.get(line.category_id or 0),
            note=(line.note or "").strip()[:200],
        )
        for line in lines
    ]
    txn.lock("category")
    session.flush()
    return txn


def unsplit_transaction(session: DbSession, scope: Scope, txn_id: Any) -> Transaction:
    txn = owned(session, Transaction, txn_id, scope)
    if not txn.splits:
        raise NotSplit()
    txn.splits = []
    session.flush()
    return txn
