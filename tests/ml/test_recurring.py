"""Recurring detection on constructed histories with known answers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from finance_app.ml.recurring import detect_series, history_frame
from finance_app.ml.schedule import add_months, last_business_day
from finance_app.models.recurring import (
    BILL,
    BIWEEKLY,
    INCOME,
    LAST_BUSINESS_DAY,
    MONTHLY,
    SEMI_MONTHLY,
    SUBSCRIPTION,
    TRANSFER,
    YEARLY,
)

_ids = iter(range(1, 1_000_000))


def row(day: date, amount: str, merchant: str = "Netflix", account: int = 1, *,
        transfer: bool = False, category: str = "", kind: str | None = None) -> tuple:
    return (next(_ids), account, merchant.lower(), merchant, day, Decimal(amount), transfer,
            category, kind)


def monthly(first: date, count: int, amount: str, merchant: str, **kw) -> list[tuple]:
    return [row(add_months(first, n), amount, merchant, **kw) for n in range(count)]


def only(rows: list[tuple], today: date):
    found = detect_series(history_frame(rows), today)
    assert len(found) == 1, found
    return found[0]


def test_a_monthly_bill_with_one_missed_month_is_one_series():
    rows = [r for r in monthly(date(2025, 1, 12), 10, "-54.00", "City Water")
            if r[4] != date(2025, 5, 12)]
    series = only(rows, date(2025, 10, 20))
    assert series.interval == MONTHLY
    assert series.kind == BILL
    assert series.expected_amount == Decimal("-54.00")
    assert series.anchors == (12,)
    assert series.occurrences == 9
    assert series.next_due == date(2025, 11, 12)
    assert 0.8 <= series.confidence <= 1


def test_a_price_rise_is_reported_and_becomes_the_expected_amount():
    rows = monthly(date(2024, 9, 3), 6, "-15.49", "Netflix", category="Subscriptions")
    rows += monthly(date(2025, 3, 3), 4, "-17.99", "Netflix", category="Subscriptions")
    series = only(rows, date(2025, 6, 10))
    assert series.kind == SUBSCRIPTION
    assert series.expected_amount == Decimal("-17.99")
    assert (series.previous_amount, series.changed_on) == (Decimal("-15.49"), date(2025, 3, 3))
    # The new price is what is expected now: no range reaching back to the old one.
    assert (series.amount_low, series.amount_high) == (Decimal("-17.99"), Decimal("-17.99"))


def test_semi_monthly_salary_on_the_15th_and_last_business_day_is_one_series():
    rows = []
    for month in range(1, 9):
        fifteenth = date(2025, month, 15)
        while fifteenth.weekday() >= 5:
            fifteenth -= timedelta(days=1)
        rows += [row(fifteenth, "2400.00", "Initech Payroll"),
                 row(last_business_day(2025, month), "2400.00", "Initech Payroll")]
    series = only(rows, date(2025, 9, 2))
    assert series.interval == SEMI_MONTHLY
    assert series.kind == INCOME
    assert series.anchors == (15, LAST_BUSINESS_DAY)
    assert series.occurrences == 16
    assert series.next_due == date(2025, 9, 15)


def test_a_yearly_insurance_needs_only_two_payments():
    rows = [row(date(2024, 3, 20), "-640.00", "Lemonade"),
            row(date(2025, 3, 20), "-640.00", "Lemonade")]
    series = only(rows, date(2025, 6, 1))
    assert series.interval == YEARLY
    assert series.next_due == date(2026, 3, 20)


def test_two_unlike_payments_a_year_apart_are_not_a_series():
    rows = [row(date(2024, 3, 20), "-640.00", "Garden Centre"),
            row(date(2025, 3, 20), "-95.00", "Garden Centre")]
    assert detect_series(history_frame(rows), date(2025, 6, 1)) == []


def test_biweekly_paychecks_and_a_utility_range():
    friday = date(2025, 1, 3)
    rows = [row(friday + timedelta(days=14 * n), "1800.00", "Acme Payroll") for n in range(12)]
    rng = random.Random(4)
    rows += [row(add_months(date(2025, 1, 18), n), f"-{rng.randint(60, 140)}.00", "PG&E")
             for n in range(6)]
    found = {s.merchant: s for s in detect_series(history_frame(rows), date(2025, 7, 1))}
    assert found["Acme Payroll"].interval == BIWEEKLY
    assert found["PG&E"].interval == MONTHLY
    assert found["PG&E"].amount_low < found["PG&E"].amount_high


def test_everyday_spending_at_random_days_is_not_a_series():
    rng = random.Random(7)
    start = date(2024, 1, 1)
    rows = [row(start + timedelta(days=rng.randint(0, 500)), f"-{rng.randint(5, 90)}.50",
                "Corner Cafe") for _ in range(60)]
    rows += [row(start + timedelta(days=rng.randint(0, 500)), "-30.00", "Bookshop")
             for _ in range(12)]
    assert detect_series(history_frame(rows), date(2025, 6, 1)) == []


def test_transfers_count_once_on_the_paying_side():
    rows = monthly(date(2025, 1, 3), 5, "-600.00", "online transfer to sav", transfer=True)
    rows += monthly(date(2025, 1, 3), 5, "600.00", "online transfer from chk", account=2,
                    transfer=True)
    series = only(rows, date(2025, 6, 1))
    assert (series.kind, series.account_id) == (TRANSFER, 1)


def test_rows_after_today_are_not_read():
    rows = monthly(date(2025, 1, 5), 6, "-9.99", "Spotify")
    assert detect_series(history_frame(rows), date(2025, 2, 10)) == []
    assert only(rows, date(2025, 3, 10)).occurrences == 3
