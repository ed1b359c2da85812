"""Second looks before anything is imported: a remembered mapping re-checked against a new file,
dates that could be read two ways, dates in the future. Pure functions; the preview shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..money import MoneyError
from .amounts import AmountParser, decimal_evidence, number_format
from .dates import infer_date_order, looks_like_date, shape_of, to_date
from .records import ColumnMapping, ParsedRow, RawTable

_SAMPLE_ROWS = 1000
# Below this share of negative (or positive) amounts the values alone do not say which sign
# spending has; the account's kind decides.
_CLEAR_MAJORITY = 0.6
FUTURE_GRACE = dt.timedelta(days=7)  # pending card rows are often dated a few days ahead


@dataclass(frozen=True, slots=True)
class SignEvidence:
    """What the file's own amounts (and the account's kind) say about the sign."""

    invert_sign: bool  # True: positive amounts are money out
    reason: str


@dataclass(frozen=True, slots=True)
class DateAmbiguity:
    """No date of the column tells day-first from month-first: `example` reads both ways."""

    example: str
    day_first: dt.date
    month_first: dt.date
    count: int  # distinct dates that read both ways


def sign_evidence(
    table: RawTable, mapping: ColumnMapping, liability: bool | None = None
) -> SignEvidence | None:
    """Which sign spending has in `table`, judged from a sample of its amounts; None when the
    mapping does not use a single signed column (a marker or debit/credit columns decide) or
    when neither the values nor the account's kind can tell."""
    column = mapping.amount_column
    if column is None or mapping.indicator_column is not None:
        return None
    step = max(1, len(table.rows) // _SAMPLE_ROWS)
    parser = AmountParser(mapping.decimal_separator)
    negative = positive = 0
    for row in table.rows[::step]:
        if column >= len(row) or mapping.date_column >= len(row):
            continue
        if not row[column] or not looks_like_date(row[mapping.date_column]):
            continue  # totals and balance lines have no date; they must not vote
        try:
            value = parser.parse(row[column])
        except MoneyError:
            continue
        negative += value < 0
        positive += value > 0
    total = negative + positive
    if not total:
        return None
    kind = "a credit card or loan" if liability else "an account holding money"
    if negative and negative >= _CLEAR_MAJORITY * total:
        return SignEvidence(False, f"{negative} of {total} sampled amounts in this file are "
                                   "negative, so negative looks like money out")
    if positive == total:
        if liability:
            return SignEvidence(True, "every amount in this file is positive and it goes into "
                                      f"{kind}, so positive looks like money out")
        return None  # unsigned amounts in a current account: the values cannot tell
    if positive >= _CLEAR_MAJORITY * total:
        return SignEvidence(True, f"{positive} of {total} sampled amounts in this file are "
                                  "positive, so positive looks like money out")
    if liability is None:
        return None
    return SignEvidence(bool(liability), f"this file has as many positive as negative amounts "
                                         f"and goes into {kind}")


def _spell_sign(invert: bool) -> str:
    return ("positive amounts are money out (as card exports write them)" if invert
            else "negative amounts are money out")


def recheck_remembered(
    table: RawTable, remembered: ColumnMapping, liability: bool | None = None
) -> ColumnMapping:
    """`remembered` (saved for this header layout) fitted to the new file's values.

    The number format and date order follow this file's own evidence where it is decisive
    (another bank's export can share the header). The sign is never changed silently: when
    this file and the account's kind disagree with it, the evidence's sign is proposed and
    `sign_to_confirm` says why, so the import waits for the user to confirm it.
    """
    width = len(table.columns)
    if any(not 0 <= col < width for col in remembered.columns_used()):
        return remembered  # apply_mapping reports the mismatch
    mapping = replace(remembered, sign_to_confirm="", sign_confirmed=False)
    notes = list(mapping.explanation)

    money_columns = [c for c in (mapping.amount_column, mapping.debit_column,
                                 mapping.credit_column) if c is not None]
    dot, comma = decimal_evidence(v for c in money_columns for v in table.column_values(c) if v)
    evident = "." if dot > comma else "," if comma > dot else mapping.decimal_separator
    if evident != mapping.decimal_separator:
        mapping.decimal_separator = evident
        notes.append(f"Amounts: this file writes them as {number_format(evident)}, unlike the "
                     "file these choices were saved for")

    order, why = infer_date_order(table.column_values(mapping.date_column))
    if "because of" in why and order != mapping.date_order:
        mapping.date_order = order
        notes.append(f"Date: {why} in this file")

    evidence = sign_evidence(table, mapping, liability)
    if evidence is not None and evidence.invert_sign != mapping.invert_sign:
        mapping.sign_to_confirm = (
            f"Last time, for files with this header, {_spell_sign(mapping.invert_sign)}. "
            f"But {evidence.reason}. Check the amounts below and confirm which it is.")
        mapping.invert_sign = evidence.invert_sign
        mapping.confidence = min(mapping.confidence, 0.5)
    mapping.explanation = tuple(notes)
    return mapping


def date_ambiguity(table: RawTable, mapping: ColumnMapping) -> DateAmbiguity | None:
    """Set when every numeric date of the column reads both as day/month and month/day (no
    part above 12 anywhere), so the order in use is a guess the user should see."""
    if not 0 <= mapping.date_column < len(table.columns):
        return None
    example = ""
    count = 0
    for value in set(table.column_values(mapping.date_column)):
        shape = shape_of(value) if value else None
        if shape is None or not shape.ambiguous:
            continue
        if shape.a > 12 or shape.b > 12:
            return None  # this date decides, and apply_mapping reads every date by it
        if shape.a != shape.b:
            count += 1
            example = min(example, value) if example else value
    if not count:
        return None
    shape = shape_of(example)
    assert shape is not None
    day_first, month_first = to_date(shape, "DMY"), to_date(shape, "MDY")
    if day_first is None or month_first is None:
        return None
    return DateAmbiguity(example, day_first, month_first, count)


def future_rows(
    rows: Iterable[ParsedRow], today: dt.date | None = None, grace: dt.timedelta = FUTURE_GRACE
) -> list[int]:
    """Row numbers of rows dated after `today` plus `grace`: a misread date, most often."""
    limit = (today or dt.date.today()) + grace
    return [row.row_number for row in rows if row.date > limit]
