"""Recurring-series detection: a history of transactions in, the series it holds out.

A series is one key (normalized merchant or description) on one account whose payments come at
a regular interval (weekly ... yearly; "the 15th and the last business day" is one semi-monthly
series) with a stable or slowly changing amount, at least 3 times (2 for yearly). Floats are
used for the statistics only: the amounts reported are the transactions' own Decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pandas loads with the first detection, not when the app starts
    import pandas as pd

from finance_app.ml.schedule import (
    LAST_BUSINESS_DAY,
    PERIOD_DAYS,
    last_business_day,
    next_after,
)
from finance_app.models.recurring import (
    BILL,
    BIWEEKLY,
    INCOME,
    MONTHLY,
    QUARTERLY,
    SEMI_MONTHLY,
    SUBSCRIPTION,
    TRANSFER,
    WEEKLY,
    YEARLY,
)

# Candidate intervals with how far (days) one gap may stray from the nominal length.
GAP_TOLERANCE = {WEEKLY: 1.0, BIWEEKLY: 2.0, MONTHLY: 4.0, QUARTERLY: 8.0, YEARLY: 12.0}
MIN_OCCURRENCES = 3
MIN_YEARLY_OCCURRENCES = 2
# Share of gaps that must fit the interval (a missed month is a gap of two), and share that
# must be exactly one interval.
MIN_FIT, MIN_SINGLE = 0.8, 0.6
# Robust spread of the amounts (median absolute deviation / median) a series may have; more
# when the days are exact (utilities vary, the 12th stays the 12th).
MAX_SPREAD, MAX_SPREAD_EXACT_DAYS = 0.5, 0.75
RECENT = 6  # the amounts that define today's expected amount and range
# Words in a category or merchant that make a charge a subscription rather than a bill.
SUBSCRIPTION_WORDS = ("subscription", "streaming", "membership", "software", "netflix",
                      "spotify", "hulu", "disney", "icloud", "youtube", "prime", "patreon",
                      "times", "audible", "dropbox", "adobe", "gym", "equinox")

COLUMNS = ("txn_id", "account_id", "key", "merchant", "date", "amount", "is_transfer",
           "category", "category_kind")


@dataclass(frozen=True)
class DetectedSeries:
    account_id: int
    key: str
    merchant: str
    interval: str
    anchors: tuple[int, ...]
    kind: str
    expected_amount: Decimal
    amount_low: Decimal
    amount_high: Decimal
    first_seen: date
    last_seen: date
    next_due: date
    occurrences: int
    confidence: float
    transaction_ids: tuple[int, ...]
    # The last price change of a stable amount ("went from 15.49 to 17.99 on 3 March").
    previous_amount: Decimal | None = None
    changed_on: date | None = None


def history_frame(rows: Sequence[Sequence[object]]) -> pd.DataFrame:
    """The detection input from rows in COLUMNS order."""
    import pandas as pd

    return pd.DataFrame.from_records(list(rows), columns=list(COLUMNS))


def detect_series(history: pd.DataFrame, today: date) -> list[DetectedSeries]:
    """Every series in `history` (rows up to `today`), by account and key."""
    if history.empty:
        return []
    frame = history[history["date"] <= today]
    # A transfer is one series, on the side the money leaves.
    frame = frame[~(frame["is_transfer"] & (frame["amount"] > 0))]
    frame = frame.sort_values(["account_id", "key", "date", "txn_id"], kind="stable")
    found: list[DetectedSeries] = []
    for (account_id, key), group in frame.groupby(["account_id", "key"], sort=True):
        if len(group) < MIN_YEARLY_OCCURRENCES or not key:
            continue
        series = _detect_group(int(account_id), str(key), group, today)
        if series is not None:
            found.append(series)
    return found


def _detect_group(account_id: int, key: str, group: pd.DataFrame, today: date
                  ) -> DetectedSeries | None:
    days: list[date] = list(group["date"])
    ordinals = np.array([d.toordinal() for d in days], dtype=float)
    amounts: list[Decimal] = list(group["amount"])
    values = np.abs(np.array([float(a) for a in amounts]))
    gaps = np.diff(ordinals)
    if len(gaps) == 0 or np.mean(gaps <= 0) > 0.2:
        return None  # several on the same day: everyday spending, not a schedule
    interval, fit, exact = _best_interval(days, gaps)
    if interval is None:
        return None
    count = len(days)
    if count < (MIN_YEARLY_OCCURRENCES if interval == YEARLY else MIN_OCCURRENCES):
        return None
    spread = _spread(values[-RECENT * 2:])
    if count == 2 and (spread > 0.1 or not exact):
        return None  # two yearly payments must look alike and fall on the same day
    if spread > (MAX_SPREAD_EXACT_DAYS if exact else MAX_SPREAD):
        return None
    anchors = _anchors(interval, days)
    recent = sorted(amounts[-3:], key=abs)
    expected = recent[len(recent) // 2]
    window = amounts[-RECENT:]
    low, high = min(window), max(window)
    if spread <= 0.02:
        low = high = expected
    previous, changed_on = _price_change(amounts, days)
    if previous is not None and expected != amounts[-1]:
        previous = changed_on = None  # a last odd payment (a loan paid off), not a new price
    if previous is not None:
        low = high = expected  # a new price: the old one is no longer expected
    confidence = round(0.5 * fit + 0.3 * (1 - min(spread / MAX_SPREAD, 1.0))
                       + 0.2 * min(count / 6, 1.0), 2)
    return DetectedSeries(
        account_id=account_id, key=key, merchant=str(group["merchant"].iloc[-1]),
        interval=interval, anchors=anchors, kind=_kind(group, expected),
        expected_amount=expected, amount_low=low, amount_high=high, first_seen=days[0],
        last_seen=days[-1], next_due=next_after(interval, anchors, days[-1], today),
        occurrences=count, confidence=confidence,
        transaction_ids=tuple(int(i) for i in group["txn_id"]),
        previous_amount=previous, changed_on=changed_on,
    )


def _best_interval(days: list[date], gaps: np.ndarray) -> tuple[str | None, float, bool]:
    """The interval the gaps fit best, how well (share of gaps), and whether the days are
    exact (every gap within 3 days of a whole number of intervals)."""
    if _is_semi_monthly(days, gaps):
        return SEMI_MONTHLY, 1.0, False
    best: tuple[float, str, float, bool] | None = None
    for interval, tolerance in GAP_TOLERANCE.items():
        period = PERIOD_DAYS[interval]
        steps = np.rint(gaps / period)
        residual = np.abs(gaps - steps * period)
        fits = (steps >= 1) & (residual <= tolerance * (1 + 0.25 * (steps - 1)))
        single = fits & (steps == 1)
        fit, single_share = float(fits.mean()), float(single.mean())
        if fit < MIN_FIT or single_share < MIN_SINGLE:
            continue
        exact = bool(np.all(residual <= 3.0)) and period >= 28
        if best is None or single_share > best[0]:
            best = (single_share, interval, fit, exact)
    if best is None:
        return None, 0.0, False
    return best[1], best[2], best[3]


def _is_semi_monthly(days: list[date], gaps: np.ndarray) -> bool:
    """Twice in (nearly) every calendar month, at days that are not a fixed two weeks apart."""
    if len(days) < 4 or not 11 <= float(np.median(gaps)) <= 19:
        return False
    if float(np.mean(gaps == 14)) >= 0.8:
        return False  # every other Friday: biweekly
    months: dict[tuple[int, int], int] = {}
    for d in days:
        months[(d.year, d.month)] = months.get((d.year, d.month), 0) + 1
    inner = list(months.values())[1:-1] or list(months.values())
    twice = sum(1 for n in inner if n == 2) / len(inner)
    return bool(twice >= 0.85 and max(months.values()) <= 2
                and np.all((gaps >= 9) & (gaps <= 21)))


def _anchors(interval: str, days: list[date]) -> tuple[int, ...]:
    if interval == SEMI_MONTHLY:
        early = [d.day for d in days if d.day <= 20]
        late = [d for d in days if d.day > 20]
        first = max(set(early), key=lambda v: (early.count(v), v)) if early else 15
        on_last = sum(1 for d in late if d == last_business_day(d.year, d.month))
        if late and on_last / len(late) >= 0.8:
            return (first, LAST_BUSINESS_DAY)
        late_days = [d.day for d in late]
        second = max(set(late_days), key=lambda v: (late_days.count(v), v)) if late else 30
        return (first, second)
    if interval in (MONTHLY, QUARTERLY, YEARLY):
        recent = [d.day for d in days[-6:]]
        return (max(set(recent), key=lambda v: (recent.count(v), v)),)
    return ()


def _spread(values: np.ndarray) -> float:
    median = float(np.median(values))
    if median == 0:
        return 0.0
    return float(np.median(np.abs(values - median))) / median


def _price_change(amounts: list[Decimal], days: list[date]
                  ) -> tuple[Decimal | None, date | None]:
    """The last step from an amount held at least twice to one held since."""
    i = len(amounts) - 1
    while i > 0 and amounts[i - 1] == amounts[i]:
        i -= 1
    if i < 2 or amounts[i - 1] != amounts[i - 2]:
        return None, None
    return amounts[i - 1], days[i]


def _kind(group: pd.DataFrame, expected: Decimal) -> str:
    if bool(group["is_transfer"].mean() >= 0.5) or (group["category_kind"] == TRANSFER).all():
        return TRANSFER
    if expected > 0:
        return INCOME
    words = f"{group['category'].iloc[-1]} {group['merchant'].iloc[-1]}".lower()
    return SUBSCRIPTION if any(w in words for w in SUBSCRIPTION_WORDS) else BILL
