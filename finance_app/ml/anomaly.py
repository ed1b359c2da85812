"""Anomaly findings, each with its reason in words and numbers: a charge far above a merchant's
usual (robust z-score), a large first charge at a new merchant, a duplicate charge, a fee, a
charge after a subscription was cancelled, and a category's month far above its usual (the same
month of earlier years when there are some, so a winter heating bill is not news every winter).

Frames in (the detection history), findings out; floats only inside the statistics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas loads with the first detection, not when the app starts
    import pandas as pd

from finance_app.ml.anomaly_kinds import (  # noqa: F401  (the kinds are part of this API)
    AFTER_CANCEL,
    ANOMALY_KINDS,
    ANOMALY_LABELS,
    CATEGORY_MONTH,
    DUPLICATE,
    FEE,
    MERCHANT_HIGH,
    NEW_MERCHANT,
)
from finance_app.money import format_money

Z_LIMIT = 4.0            # robust z-score of a charge against its merchant's history
MIN_HISTORY = 5          # charges a merchant needs before "usual" means anything
MIN_EXCESS = Decimal("20")
NEW_MERCHANT_FLOOR = Decimal("250")
DUPLICATE_DAYS = 3
CATEGORY_FACTOR, CATEGORY_MIN_EXCESS, CATEGORY_Z = 1.5, Decimal("100"), 3.0
# Whole words only: "coffee" is no fee.
FEE_PATTERN = re.compile(r"\bfees?\b|\boverdraft\b|\bforeign transaction\b|\blate charge\b",
                         re.IGNORECASE)
MAD_SCALE = 1.4826       # MAD to standard deviation for normal data


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str       # this occurrence
    pattern: str   # what "this is fine" remembers
    reason: str
    day: date
    transaction_id: int | None = None
    account_id: int | None = None
    score: float | None = None


def _money(value: Decimal, currency: str) -> str:
    return format_money(abs(value), currency)


def _day(value: date) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"


def _robust(values: np.ndarray, floor: float = 0.05) -> tuple[float, float]:
    """Median and a robust spread (never below `floor` of the median, nor 1)."""
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median))) * MAD_SCALE
    return median, max(mad, floor * abs(median), 1.0)


def transaction_findings(history: pd.DataFrame, since: date, currency: str = "USD",
                         series_keys: Iterable[tuple[int | None, str]] = (),
                         cancelled: Mapping[tuple[int | None, str], tuple[int, date]] | None = None,
                         ) -> list[Finding]:
    """Findings about charges dated `since` or later; earlier rows are the history they are
    measured against. Charges of known series are measured by the bills page, not here (a
    varying utility bill is not an anomaly), except a charge after a cancellation."""
    if history.empty:
        return []
    charges = history[(history["amount"] < 0) & ~history["is_transfer"]
                      & (history["category_kind"].fillna("") != "transfer")]
    charges = charges.sort_values(["date", "txn_id"], kind="stable")
    known = set(series_keys)
    cancelled = cancelled or {}
    findings: list[Finding] = []
    values_all = np.abs(np.array([float(a) for a in charges["amount"]])) if len(charges) else []
    large_floor = max(NEW_MERCHANT_FLOOR,
                      Decimal(str(round(float(np.percentile(values_all, 95)), 2)))
                      if len(values_all) else NEW_MERCHANT_FLOOR)
    for (account_id, key), group in charges.groupby(["account_id", "key"], sort=False):
        if (account_id, key) in cancelled:
            findings += _after_cancel(group, since, currency, *cancelled[(account_id, key)])
            continue
        findings += _duplicates(group, since, currency)
        if (account_id, key) in known:
            continue
        findings += _fees(group, since, currency)
    for key, group in charges.groupby("key", sort=False):
        if any((a, key) in known for a in group["account_id"].unique()):
            continue
        findings += _merchant_high(group, since, currency)
        findings += _new_merchant(group, since, currency, large_floor)
    return findings


def _recent(group: pd.DataFrame, since: date) -> pd.DataFrame:
    return group[group["date"] >= since]


def _merchant_high(group: pd.DataFrame, since: date, currency: str) -> list[Finding]:
    recent = _recent(group, since)
    if recent.empty:
        return []
    findings = []
    values = np.abs(np.array([float(a) for a in group["amount"]]))
    ordinals = np.array([d.toordinal() for d in group["date"]])
    for row in group.itertuples(index=False):
        if row.date < since:
            continue
        before = values[:int(np.searchsorted(ordinals, row.date.toordinal(), side="left"))]
        if len(before) < MIN_HISTORY:
            continue
        median, spread = _robust(before)
        amount = abs(row.amount)
        z = (float(amount) - median) / spread
        usual = Decimal(str(round(median, 2)))
        if z < Z_LIMIT or amount - usual < MIN_EXCESS or float(amount) < 1.5 * median:
            continue
        findings.append(Finding(
            MERCHANT_HIGH, f"{MERCHANT_HIGH}:{row.txn_id}", f"{MERCHANT_HIGH}:{row.key}",
            f"{_money(row.amount, currency)} at {row.merchant} on {_day(row.date)} is far "
            f"above the usual {_money(usual, currency)} there (robust z-score {z:.1f} over "
            f"{len(before)} earlier charges).",
            row.date, int(row.txn_id), int(row.account_id), round(z, 2)))
    return findings


def _new_merchant(group: pd.DataFrame, since: date, currency: str, floor: Decimal
                  ) -> list[Finding]:
    first = group.iloc[0]
    if first["date"] < since or abs(first["amount"]) < floor:
        return []
    return [Finding(
        NEW_MERCHANT, f"{NEW_MERCHANT}:{first['txn_id']}", f"{NEW_MERCHANT}:{first['key']}",
        f"{_money(first['amount'], currency)} at {first['merchant']} on {_day(first['date'])}: "
        f"the first charge there, and larger than 95% of your charges (over "
        f"{_money(floor, currency)}).",
        first["date"], int(first["txn_id"]), int(first["account_id"]))]


def _duplicates(group: pd.DataFrame, since: date, currency: str) -> list[Finding]:
    findings = []
    rows = list(group.itertuples(index=False))
    for i, row in enumerate(rows):
        if row.date < since:
            continue
        for earlier in reversed(rows[:i]):
            if (row.date - earlier.date).days > DUPLICATE_DAYS:
                break
            if earlier.amount == row.amount:
                gap = (row.date - earlier.date).days
                findings.append(Finding(
                    DUPLICATE, f"{DUPLICATE}:{row.txn_id}",
                    f"{DUPLICATE}:{row.key}:{abs(row.amount)}",
                    f"{_money(row.amount, currency)} at {row.merchant} on {_day(row.date)}, "
                    f"the same amount as on {_day(earlier.date)} "
                    f"({gap} day{'s' if gap != 1 else ''} earlier): charged twice?",
                    row.date, int(row.txn_id), int(row.account_id)))
                break
    return findings


def _is_fee(row: object) -> bool:
    text = f"{getattr(row, 'merchant', '')} {getattr(row, 'category', '')}"
    return FEE_PATTERN.search(text) is not None


def _fees(group: pd.DataFrame, since: date, currency: str) -> list[Finding]:
    return [Finding(
        FEE, f"{FEE}:{row.txn_id}", f"{FEE}:{row.key}",
        f"A fee of {_money(row.amount, currency)} ({row.merchant}) on {_day(row.date)}.",
        row.date, int(row.txn_id), int(row.account_id))
        for row in _recent(group, since).itertuples(index=False) if _is_fee(row)]


def _after_cancel(group: pd.DataFrame, since: date, currency: str, series_id: int,
                  cancelled_after: date) -> list[Finding]:
    return [Finding(
        AFTER_CANCEL, f"{AFTER_CANCEL}:{row.txn_id}", f"{AFTER_CANCEL}:{series_id}",
        f"{_money(row.amount, currency)} from {row.merchant} on {_day(row.date)}, after you "
        f"marked the subscription cancelled (last charge before that: "
        f"{_day(cancelled_after)}).",
        row.date, int(row.txn_id), int(row.account_id))
        for row in group.itertuples(index=False)
        if row.date > cancelled_after and row.date >= since]


def category_month_findings(spending: Mapping[tuple[int, date], Decimal],
                            names: Mapping[int, str], months: Iterable[date],
                            currency: str = "USD") -> list[Finding]:
    """Findings about the spending of each category in `months` (month starts), measured
    against the same calendar month of earlier years when there are two or more of them
    (seasons), else against the 12 months before."""
    by_category: dict[int, dict[date, Decimal]] = {}
    for (category_id, month), amount in spending.items():
        by_category.setdefault(category_id, {})[month] = amount
    findings = []
    for month in months:
        for category_id, history in by_category.items():
            found = history.get(month)
            if found is None or found <= 0:
                continue
            amount = found
            same_month = [v for m, v in history.items() if m.month == month.month and m < month]
            if len(same_month) >= 2:
                baseline, basis = same_month, f"{month.strftime('%B')} of earlier years"
            else:
                start = (month - timedelta(days=366)).replace(day=1)
                baseline = [history.get(m, Decimal(0)) for m in _month_starts(start, month)]
                basis = "the 12 months before"
                if sum(1 for v in baseline if v > 0) < 6:
                    continue
            values = np.array([float(v) for v in baseline])
            # A handful of months says little about their spread: at least 20% of the median.
            median, spread = _robust(values, floor=0.2)
            usual = Decimal(str(round(median, 2)))
            z = (float(amount) - median) / spread
            if (float(amount) < CATEGORY_FACTOR * median or amount - usual < CATEGORY_MIN_EXCESS
                    or z < CATEGORY_Z):
                continue
            name = names.get(category_id, "A category")
            findings.append(Finding(
                CATEGORY_MONTH, f"{CATEGORY_MONTH}:{category_id}:{month:%Y-%m}",
                f"{CATEGORY_MONTH}:{category_id}",
                f"{name} in {month:%B %Y}: {_money(amount, currency)}, far above its usual "
                f"{_money(usual, currency)} ({basis}; robust z-score {z:.1f}).",
                month, score=round(z, 2)))
    return findings


def _month_starts(start: date, end: date) -> list[date]:
    """Month starts from `start` up to, not including, `end`."""
    result, month = [], start
    while month < end:
        result.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return result
