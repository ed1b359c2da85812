"""Guessing a ColumnMapping for an unseen layout, from header names and cell contents."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from ..money import MoneyError, parse_amount
from .amounts import infer_decimal_separator, number_format
from .dates import infer_date_order, looks_like_date
from .errors import NoAmountColumnError, NoDateColumnError
from .headers import header_score, is_not_money
from .records import ColumnMapping, RawTable
from .text import header_key

_SAMPLE_ROWS = 1000
# Values of a "Type"/"Details"/"CR/DR" column that say which way the money went. "payment"
# means money in because unsigned exports with Sale/Payment types are credit-card statements.
SIGN_OUT = {
    "debit", "dr", "d", "db", "deb", "withdrawal", "sale", "purchase", "charge", "fee",
    "card payment", "direct debit", "debit card", "ach debit", "pos", "atm", "check", "cheque",
    "transfer out", "outgoing", "out", "s", "soll", "lastschrift", "belastung", "af", "cargo",
    "debito", "addebito", "-", "debit card purchase", "withdrawal atm", "misc debit",
}
SIGN_IN = {
    "credit", "cr", "c", "cred", "deposit", "payment", "refund", "return", "ach credit",
    "transfer in", "incoming", "in", "h", "haben", "gutschrift", "bij", "abono", "credito",
    "accredito", "+", "payment thank you", "misc credit", "dividend", "direct deposit",
}
_ISO_CURRENCY = re.compile(r"[A-Z]{3}")
_COMMON_CURRENCIES = {
    "USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "INR", "SEK", "NZD", "MXN", "NOK", "DKK",
    "PLN", "CZK", "HUF", "CNY", "HKD", "SGD", "ZAR", "BRL", "TRY", "ILS", "RON", "BGN",
}
_SYMBOL_CURRENCY = {"£": "GBP", "€": "EUR", "₹": "INR", "₩": "KRW", "₺": "TRY", "₪": "ILS"}
# Free-text columns worth appending to the main description when they are not it.
_MEMO_HEADERS = {"memo", "notes", "note", "notes and tags", "additional info", "zusatzinfo",
                 "verwendungszweck", "payment reference", "mededelingen", "causale"}


def sign_of_marker(value: str) -> int:
    """+1 for money in, -1 for money out, 0 if the marker says neither."""
    key = header_key(value) if value not in ("+", "-") else value
    if key in SIGN_OUT:
        return -1
    if key in SIGN_IN:
        return 1
    return 0


@dataclass(slots=True)
class ColumnProfile:
    """What a sample of one column's cells looks like."""

    index: int
    name: str
    filled: float = 0.0  # share of sampled rows with a value
    date_share: float = 0.0  # shares below are of the filled cells
    amount_share: float = 0.0
    decimal_share: float = 0.0
    marker_share: float = 0.0
    distinct: float = 0.0
    mean_length: float = 0.0
    amounts: list[Decimal | None] = field(default_factory=list, repr=False)
    values: list[str] = field(default_factory=list, repr=False)


def profile_columns(table: RawTable) -> list[ColumnProfile]:
    step = max(1, len(table.rows) // _SAMPLE_ROWS)
    sample = table.rows[::step]
    profiles = []
    for index, name in enumerate(table.columns):
        values = [row[index] if index < len(row) else "" for row in sample]
        p = ColumnProfile(index, name, values=values)
        filled = [v for v in values if v]
        p.amounts = [_amount_or_none(v) for v in values]
        if filled:
            n = len(filled)
            p.filled = n / len(values)
            p.date_share = sum(1 for v in filled if looks_like_date(v)) / n
            parsed = [a for a in p.amounts if a is not None]
            p.amount_share = len(parsed) / n
            p.decimal_share = sum(1 for v in filled if re.search(r"[.,]\d\d\b", v)) / n
            p.marker_share = sum(1 for v in filled if sign_of_marker(v)) / n
            p.distinct = len(set(filled)) / n
            p.mean_length = sum(len(v) for v in filled) / n
        profiles.append(p)
    return profiles


def _amount_or_none(value: str) -> Decimal | None:
    if not value:
        return None
    try:
        return parse_amount(value)
    except MoneyError:
        return None


def detect_mapping(table: RawTable) -> ColumnMapping:
    """Guess the mapping of `table` (OFX/QIF tables come with theirs).

    Raises NoDateColumnError / NoAmountColumnError when no column can play that role.
    """
    if table.preset_mapping is not None:
        return table.preset_mapping
    profiles = profile_columns(table)
    notes: list[str] = []
    confidence: list[float] = []

    date_col = _pick_date(profiles)
    used = {date_col.index}
    money = [p for p in profiles if p.index not in used and _is_money(p)]
    single, debit, credit = _pick_amounts(money)
    if single is None and debit is None and credit is None:
        raise NoAmountColumnError(f"columns: {list(table.columns)}")

    mapping = ColumnMapping(date_column=date_col.index)
    amount_values: list[str] = []
    if single is not None:
        mapping.amount_column = single.index
        used.add(single.index)
        amount_values = [v for v in single.values if v]
        has_header = header_score(single.name, "amount") >= 2
        notes.append(f'Amount: column "{single.name}"' + ("" if has_header else
                     " (chosen by its numbers; no column is named like an amount)"))
        confidence.append(single.amount_share * (1.0 if has_header else 0.7))
    else:
        mapping.debit_column = debit.index if debit else None
        mapping.credit_column = credit.index if credit else None
        names = [f'"{p.name}"' for p in (debit, credit) if p is not None]
        notes.append(f"Amount: money out in {names[0]}, money in in {names[-1]}"
                     if debit and credit else f"Amount: column {names[0]}")
        for p in (debit, credit):
            if p is not None:
                used.add(p.index)
                amount_values += [v for v in p.values if v]
                confidence.append(p.amount_share)

    hint = "," if table.delimiter == ";" else "."
    # Every row votes, not a sample: one "1.234,56" among a thousand "12,50" decides as much.
    money_columns = [c for c in (mapping.amount_column, mapping.debit_column,
                                 mapping.credit_column) if c is not None]
    mapping.decimal_separator = infer_decimal_separator(
        (v for c in money_columns for v in table.column_values(c) if v), hint)
    notes.append(f"Amounts: written as {number_format(mapping.decimal_separator)}")
    mapping.default_currency = _currency_from_symbols(amount_values, table.columns, used)

    currency_col = _pick_currency(profiles, used)
    if currency_col is not None:
        mapping.currency_column = currency_col.index
        used.add(currency_col.index)

    if single is not None:
        # Totals and balance lines have no date; they must not vote on the sign.
        dated = [bool(v) and looks_like_date(v) for v in date_col.values]
        _decide_sign(mapping, single, profiles, used, notes, confidence, dated)

    external = _pick_external_id(profiles, used)
    if external is not None:
        mapping.external_id_column = external.index
        used.add(external.index)

    descriptions = _pick_descriptions(profiles, used)
    mapping.description_columns = tuple(p.index for p in descriptions)
    if descriptions:
        notes.append("Description: " + " + ".join(f'"{p.name}"' for p in descriptions))
    else:
        notes.append("Description: no text column found")

    currencies = set(table.column_values(currency_col.index)[:200]) if currency_col else set()
    day_first = mapping.decimal_separator == "," or bool(
        {mapping.default_currency, *currencies} & {"EUR", "GBP"})
    order, why = infer_date_order(table.column_values(date_col.index), day_first)
    mapping.date_order = order
    notes.insert(0, f'Date: column "{date_col.name}"' + (f", {why}" if why else ""))
    confidence.append(date_col.date_share * (1.0 if header_score(date_col.name, "date") else 0.8))
    if "please check" in why or "guessed" in why:
        confidence.append(0.6)
    mapping.confidence = round(min(confidence), 2)
    mapping.explanation = tuple(notes)
    return mapping


def _pick_date(profiles: list[ColumnProfile]) -> ColumnProfile:
    candidates = [p for p in profiles if p.filled >= 0.3 and p.date_share >= 0.6]
    if not candidates:
        raise NoDateColumnError(f"columns: {[p.name for p in profiles]}")
    return max(candidates, key=lambda p: (2 * header_score(p.name, "date") + 2 * p.date_share
                                          + p.filled, -p.index))


def _is_money(p: ColumnProfile) -> bool:
    if is_not_money(p.name) or p.date_share > 0.5:
        return False
    return p.filled == 0 or p.amount_share >= 0.8


def _pick_amounts(
    money: list[ColumnProfile],
) -> tuple[ColumnProfile | None, ColumnProfile | None, ColumnProfile | None]:
    """A single amount column, or a debit/credit pair; a column named like an amount wins
    over a pair, a named pair over an unnamed single column."""
    singles = [p for p in money if p.filled >= 0.5]
    best = max(singles, default=None, key=lambda p: (
        2 * header_score(p.name, "amount") + p.amount_share + p.decimal_share + p.filled,
        -p.index))
    if best is not None and header_score(best.name, "amount") >= 2:
        return best, None, None
    debit = _best_named(money, "debit")
    credit = _best_named(money, "credit", exclude=debit)
    if debit is not None and credit is not None:
        return None, debit, credit
    pair = _complementary_pair(money)
    if pair is not None:
        return None, pair[0], pair[1]
    if best is not None:
        return best, None, None
    if debit is not None or credit is not None:
        return None, debit, credit
    return None, None, None


def _best_named(
    money: list[ColumnProfile], role: str, exclude: ColumnProfile | None = None
) -> ColumnProfile | None:
    named = [p for p in money if header_score(p.name, role) >= 2 and p is not exclude]
    return max(named, default=None, key=lambda p: (header_score(p.name, role), -p.index))


def _complementary_pair(money: list[ColumnProfile]) -> tuple[ColumnProfile, ColumnProfile] | None:
    """Two neighbouring sparse number columns where each row fills exactly one: out, then in
    (the order UK and US banks use when the header does not say)."""
    for left, right in pairwise(money):
        if right.index != left.index + 1 or not (0 < left.filled < 1 and 0 < right.filled < 1):
            continue
        pairs = list(zip(left.values, right.values, strict=True))
        exactly_one = sum(1 for a, b in pairs if bool(a) != bool(b))
        if exactly_one >= 0.9 * len(pairs):
            return left, right
    return None


def _decide_sign(
    mapping: ColumnMapping,
    amount: ColumnProfile,
    profiles: list[ColumnProfile],
    used: set[int],
    notes: list[str],
    confidence: list[float],
    dated: list[bool],
) -> None:
    numbers = [a for a, ok in zip(amount.amounts, dated, strict=True) if ok and a]
    markers = [p for p in profiles if p.index not in used and p.filled >= 0.8
               and p.marker_share >= 0.95]
    if numbers and all(a > 0 for a in numbers):
        if markers:
            marker = max(markers, key=lambda p: (header_score(p.name, "indicator"), -p.index))
            mapping.indicator_column = marker.index
            used.add(marker.index)
            notes.append(f'Sign: amounts are unsigned; "{marker.name}" says debit or credit')
            return
        if header_score(amount.name, "credit") >= 2:
            notes.append("Sign: all amounts are positive and the column is named as money in")
            return
        mapping.invert_sign = True
        notes.append("Sign: all amounts are positive with no debit/credit marker, so they are "
                     "read as spending (as in credit-card exports); please check")
        confidence.append(0.6)
        return
    # Signed amounts: a Type/Details column, if any, tells which sign spending has.
    agree = disagree = 0
    for marker in markers:
        for value, number, ok in zip(marker.values, amount.amounts, dated, strict=True):
            sign = sign_of_marker(value) if value else 0
            if sign and number and ok:
                if (sign > 0) == (number > 0):
                    agree += 1
                else:
                    disagree += 1
    if agree + disagree >= 3 and max(agree, disagree) >= 0.75 * (agree + disagree):
        mapping.invert_sign = disagree > agree
        notes.append("Sign: " + ("spending is written positive" if mapping.invert_sign else
                                 "spending is written negative") + ", as the Type column shows")
        return
    if header_score(amount.name, "debit") >= 2:
        mapping.invert_sign = True
        notes.append(f'Sign: the column is named "{amount.name}", so positive means spending')
        return
    positive = sum(1 for a in numbers if a > 0)
    mapping.invert_sign = positive * 2 > len(numbers)
    if mapping.invert_sign:
        notes.append(f"Sign: most amounts ({positive} of {len(numbers)} sampled) are positive, "
                     "so positive is read as spending (a credit-card export)")
        confidence.append(0.75)
    else:
        notes.append("Sign: negative amounts are money out")


def _pick_currency(profiles: list[ColumnProfile], used: set[int]) -> ColumnProfile | None:
    for p in profiles:
        if p.index in used or p.filled < 0.5:
            continue
        filled = [v for v in p.values if v]
        codes = sum(1 for v in filled if _ISO_CURRENCY.fullmatch(v))
        common = sum(1 for v in filled if v in _COMMON_CURRENCIES)
        if (header_score(p.name, "currency") >= 2 and codes >= 0.9 * len(filled)) or (
            common == len(filled)
        ):
            return p
    return None


def _currency_from_symbols(
    values: list[str], columns: tuple[str, ...], used: set[int]
) -> str | None:
    for symbol, code in _SYMBOL_CURRENCY.items():
        if any(symbol in v for v in values[:200]):
            return code
    for index in used:
        for word in header_key(columns[index]).upper().split():
            if word in _COMMON_CURRENCIES:
                return word
    return None


def _pick_external_id(profiles: list[ColumnProfile], used: set[int]) -> ColumnProfile | None:
    for p in profiles:
        if p.index in used or p.filled < 0.9 or p.distinct < 1.0:
            continue
        if header_score(p.name, "external_id") >= 2.4 and p.amount_share < 1.0:
            return p
    return None


def _pick_descriptions(profiles: list[ColumnProfile], used: set[int]) -> list[ColumnProfile]:
    text = [p for p in profiles if p.index not in used and p.filled > 0
            and p.date_share < 0.5 and p.amount_share < 0.5]
    if not text:
        return []

    def score(p: ColumnProfile) -> tuple[float, int]:
        named = header_score(p.name, "description")
        penalty = 2 if max(header_score(p.name, r) for r in ("indicator", "currency")) >= 2 else 0
        penalty += 2 if p.marker_share > 0.9 else 0
        return (2 * named + p.distinct + min(p.mean_length, 30) / 30 + p.filled - penalty,
                -p.index)

    primary = max(text, key=score)
    chosen = [primary]
    for p in text:
        if p is not primary and header_key(p.name) in _MEMO_HEADERS:
            chosen.append(p)
    return chosen
