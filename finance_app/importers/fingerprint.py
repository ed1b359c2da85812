"""Stable identities for de-duplication: header signatures, row fingerprints, near matches."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from .text import header_key, normalize_description, words

_VERSION = "v1"  # part of every hash: change it if the normalization ever changes


class TransactionLike(Protocol):
    @property
    def date(self) -> dt.date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def description(self) -> str: ...


def header_signature(columns: Sequence[str]) -> str:
    """sha256 hex of the normalized header (case, accents and punctuation ignored), so a
    mapping remembered for one export applies to the next export of the same layout."""
    shape = "\x1f".join(header_key(column) for column in columns)
    return _sha256(_VERSION, "header", str(len(columns)), shape)


def amount_key(amount: Decimal) -> str:
    """"12.5" for 12.50 and 12.5000 alike, "0" for -0.00."""
    value = amount.normalize()
    if not value:
        value = abs(value)
    return format(value, "f")


def fingerprint(
    account_key: str, date: dt.date, amount: Decimal, description: str, occurrence: int
) -> str:
    """sha256 hex identifying a transaction within an account.

    `occurrence` is the row's 0-based index among rows of the same file with equal date, amount
    and normalized description (see `assign_occurrences`): two identical coffees on one day stay
    two rows, while re-importing the file or an overlapping export gives the same fingerprints.
    """
    return _sha256(
        _VERSION, account_key, date.isoformat(), amount_key(amount),
        normalize_description(description), str(occurrence),
    )


def assign_occurrences(rows: Iterable[TransactionLike]) -> list[int]:
    """Occurrence index of each row (in order) among identical rows of the same file."""
    seen: dict[tuple[dt.date, str, str], int] = {}
    result = []
    for row in rows:
        key = (row.date, amount_key(row.amount), normalize_description(row.description))
        count = seen.get(key, 0)
        seen[key] = count + 1
        result.append(count)
    return result


def description_similarity(a: str, b: str) -> float:
    """0..1 overlap of the words (Dice coefficient); 0.9 when one is contained in the other,
    as a pending "AMAZON" is in the posted "AMAZON MKTP US*2K4"."""
    left = {w for w in words(a) if len(w) > 1}
    right = {w for w in words(b) if len(w) > 1}
    if not left and not right:
        return 1.0
    if not left or not right:
        return 0.0
    common = len(left & right)
    dice = 2 * common / (len(left) + len(right))
    if common == min(len(left), len(right)):
        return max(dice, 0.9)
    return dice


def is_probable_duplicate(
    a: TransactionLike,
    b: TransactionLike,
    *,
    max_days: int = 3,
    min_similarity: float = 0.5,
) -> bool:
    """Same amount, dates at most `max_days` apart and similar descriptions: the same
    transaction seen twice (pending then posted, or two overlapping exports)."""
    return (
        a.amount == b.amount
        and abs((a.date - b.date).days) <= max_days
        and description_similarity(a.description, b.description) >= min_similarity
    )


def _sha256(*parts: str) -> str:
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()
