"""Sorting a file's rows into new, already-imported and probable duplicates of an account's rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.importers import ParsedRow, description_similarity
from finance_app.importers.fingerprint import amount_key
from finance_app.models.imports import REVIEW_PENDING, REVIEW_SKIPPED, PendingDuplicate
from finance_app.models.ledger import Transaction

NEW, DUPLICATE, REVIEW = "new", "duplicate", "review"
# A probable duplicate: same amount, dates this close, descriptions this similar.
MAX_DAYS = 3
MIN_SIMILARITY = 0.5
MAX_EXTERNAL_ID = 200
MAX_DESCRIPTION = 500


@dataclass(slots=True)
class RowMatch:
    """What to do with one parsed row, and the fingerprint/external id to store it under."""

    kind: str
    fingerprint: str
    external_id: str | None
    matched_id: int | None = None
    similarity: float = 0.0


@dataclass(slots=True)
class _Candidate:
    id: int
    date: dt.date
    texts: tuple[str, ...]
    fingerprint: str | None
    external_id: str | None
    taken: bool = False


def account_key(account_id: int) -> str:
    """The account part of every fingerprint: the same file in two accounts is two imports."""
    return f"account:{account_id}"


def classify_rows(session: DbSession, account_id: int | None, rows: Sequence[ParsedRow]) -> list[
    RowMatch
]:
    """One RowMatch per row, in order.

    Exact duplicates (same fingerprint or same bank id as a row of the account, or as a row
    already held for review or skipped there) are skipped. Otherwise, an existing row with the
    same amount, a date at most MAX_DAYS away and a similar description makes the row a probable
    duplicate. Each existing row vouches for one file row only, and rows matched exactly are
    used up first, so a daily coffee in an overlapping export is not mistaken for yesterday's.
    Rows of the file are never compared with each other: identical purchases on one day differ
    by their occurrence number.
    """
    key = account_key(account_id or 0)
    fingerprints = [row.fingerprint(key) for row in rows]
    external_ids = _external_ids(rows)
    if account_id is None or not rows:
        return [RowMatch(NEW, fp, ext) for fp, ext in zip(fingerprints, external_ids, strict=True)]

    known_fps: set[str] = set()
    known_ids: set[str] = set()
    for fp, ext in session.execute(
        select(Transaction.fingerprint, Transaction.external_id)
        .where(Transaction.account_id == account_id)
    ):
        if fp:
            known_fps.add(fp)
        if ext:
            known_ids.add(ext)
    known_fps.update(session.scalars(
        select(PendingDuplicate.fingerprint).where(
            PendingDuplicate.account_id == account_id,
            PendingDuplicate.status.in_((REVIEW_PENDING, REVIEW_SKIPPED)),
        )
    ))

    decisions: list[RowMatch] = []
    matched_fps: set[str] = set()
    matched_ids: set[str] = set()
    for fp, ext in zip(fingerprints, external_ids, strict=True):
        if fp in known_fps or (ext is not None and ext in known_ids):
            matched_fps.add(fp)
            if ext is not None:
                matched_ids.add(ext)
            decisions.append(RowMatch(DUPLICATE, fp, ext))
        else:
            decisions.append(RowMatch(NEW, fp, ext))

    fresh = [i for i, d in enumerate(decisions) if d.kind == NEW]
    if fresh:
        _find_near_matches(session, account_id, rows, decisions, fresh, matched_fps, matched_ids)
    return decisions


def _external_ids(rows: Sequence[ParsedRow]) -> list[str | None]:
    """Bank ids, except over-long ones and repeats within the file (some banks reuse ids; the
    second row is kept and told apart by its fingerprint instead)."""
    seen: set[str] = set()
    result: list[str | None] = []
    for row in rows:
        ext = row.external_id
        if ext is None or len(ext) > MAX_EXTERNAL_ID or ext in seen:
            result.append(None)
            continue
        seen.add(ext)
        result.append(ext)
    return result


def _find_near_matches(
    session: DbSession,
    account_id: int,
    rows: Sequence[ParsedRow],
    decisions: list[RowMatch],
    fresh: list[int],
    matched_fps: set[str],
    matched_ids: set[str],
) -> None:
    low = min(rows[i].date for i in fresh) - dt.timedelta(days=MAX_DAYS)
    high = max(rows[i].date for i in fresh) + dt.timedelta(days=MAX_DAYS)
    # Candidates by (amount, day): a row looks at the 2 * MAX_DAYS + 1 days around its own,
    # never at every row of the same amount (a daily coffee would make that quadratic).
    by_day: dict[tuple[str, dt.date], list[_Candidate]] = defaultdict(list)
    query = select(
        Transaction.id, Transaction.date, Transaction.amount, Transaction.raw_description,
        Transaction.merchant, Transaction.fingerprint, Transaction.external_id,
    ).where(
        Transaction.account_id == account_id, Transaction.date >= low, Transaction.date <= high
    ).order_by(Transaction.date, Transaction.id)
    for txn_id, day, amount, raw, merchant, fp, ext in session.execute(query):
        candidate = _Candidate(txn_id, day, (raw, merchant) if merchant else (raw,), fp, ext)
        # Already vouching for an exact match in this file.
        candidate.taken = (fp is not None and fp in matched_fps) or (
            ext is not None and ext in matched_ids)
        by_day[(amount_key(Decimal(amount)), day)].append(candidate)
    if not by_day:
        return
    offsets = [dt.timedelta(days=d) for d in range(-MAX_DAYS, MAX_DAYS + 1)]
    for i in fresh:
        row = rows[i]
        key = amount_key(row.amount)
        best: tuple[float, int] | None = None
        best_candidate: _Candidate | None = None
        # Earliest day first and by id within a day: on a tie the earliest candidate wins.
        for offset in offsets:
            for candidate in by_day.get((key, row.date + offset), ()):
                if candidate.taken:
                    continue
                similarity = max(description_similarity(row.description, text)
                                 for text in candidate.texts)
                if similarity < MIN_SIMILARITY:
                    continue
                score = (similarity, -abs(offset.days))
                if best is None or score > best:
                    best, best_candidate = score, candidate
        if best_candidate is not None and best is not None:
            best_candidate.taken = True
            decision = decisions[i]
            decision.kind, decision.matched_id = REVIEW, best_candidate.id
            decision.similarity = round(best[0], 3)
