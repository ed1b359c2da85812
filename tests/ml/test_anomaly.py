"""Anomaly findings on constructed histories with known answers."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from finance_app.ml.anomaly import (
    AFTER_CANCEL,
    CATEGORY_MONTH,
    DUPLICATE,
    FEE,
    MERCHANT_HIGH,
    NEW_MERCHANT,
    category_month_findings,
    transaction_findings,
)
from finance_app.ml.recurring import history_frame
from finance_app.ml.schedule import add_months

_ids = iter(range(1, 1_000_000))
SINCE = date(2025, 6, 1)


def row(day: date, amount: str, merchant: str, category: str = "Shopping") -> tuple:
    return (next(_ids), 1, merchant.lower(), merchant, day, Decimal(amount), False, category,
            "expense")


def weekly_groceries() -> list[tuple]:
    amounts = ["-82.10", "-79.40", "-91.00", "-85.25", "-77.90", "-88.60", "-84.00", "-80.30"]
    return [row(date(2025, 3, 3) + timedelta(days=7 * n), a, "Fresh Market", "Groceries")
            for n, a in enumerate(amounts)]


def kinds(findings) -> list[str]:
    return sorted(f.kind for f in findings)


def test_a_duplicate_charge_within_three_days_is_flagged_once():
    rows = [row(date(2025, 6, 10), "-45.00", "Gadget Hub"),
            row(date(2025, 6, 12), "-45.00", "Gadget Hub"),
            row(date(2025, 6, 20), "-45.00", "Gadget Hub")]  # 8 days later: a new purchase
    findings = transaction_findings(history_frame(rows), SINCE)
    assert kinds(findings) == [DUPLICATE]
    assert findings[0].transaction_id == rows[1][0]
    assert "$45.00 at Gadget Hub on 12 June 2025" in findings[0].reason
    assert "2 days earlier" in findings[0].reason


def test_a_charge_far_above_the_merchants_usual_gives_its_z_score():
    rows = [*weekly_groceries(), row(date(2025, 6, 2), "-312.40", "Fresh Market", "Groceries")]
    findings = transaction_findings(history_frame(rows), SINCE)
    assert kinds(findings) == [MERCHANT_HIGH]
    assert findings[0].score is not None and findings[0].score > 4
    assert "$312.40 at Fresh Market" in findings[0].reason
    assert "usual $83.05" in findings[0].reason  # the median of the eight
    assert "over 8 earlier charges" in findings[0].reason


def test_an_ordinary_charge_is_not_flagged():
    rows = [*weekly_groceries(), row(date(2025, 6, 2), "-95.00", "Fresh Market", "Groceries")]
    assert transaction_findings(history_frame(rows), SINCE) == []


def test_a_large_first_charge_at_a_new_merchant_and_a_fee():
    rows = [*weekly_groceries(), row(date(2025, 6, 4), "-1250.00", "Sofa World"),
            row(date(2025, 6, 5), "-3.50", "Foreign transaction fee", "Fees")]
    findings = transaction_findings(history_frame(rows), SINCE)
    assert kinds(findings) == [FEE, NEW_MERCHANT]
    assert any("$1,250.00 at Sofa World" in f.reason and "first charge" in f.reason
               for f in findings)


def test_coffee_is_no_fee():
    rows = [row(date(2025, 6, 4), "-4.50", "Blue Bottle Coffee", "Coffee")]
    assert transaction_findings(history_frame(rows), SINCE) == []


def test_known_series_are_left_to_the_bills_page_and_cancelled_ones_are_flagged():
    rows = [row(add_months(date(2025, 1, 9), n), "-11.99", "Spotify") for n in range(6)]
    frame = history_frame(rows)
    assert transaction_findings(frame, SINCE, series_keys={(1, "spotify")}) == []
    findings = transaction_findings(frame, SINCE, cancelled={(1, "spotify"): (7, date(2025, 4, 9))})
    assert kinds(findings) == [AFTER_CANCEL]  # the June charge; May is before SINCE
    assert findings[0].pattern == "after_cancel:7"


def _months(first: date, count: int) -> list[date]:
    return [add_months(first, n) for n in range(count)]


def test_a_seasonal_category_is_not_flagged_every_winter():
    heating = 7
    spending = {}
    for month in _months(date(2021, 1, 1), 60):
        winter = month.month in (12, 1, 2)
        spending[(heating, month)] = Decimal("420.00") if winter else Decimal("110.00")
    names = {heating: "Heating"}
    assert category_month_findings(spending, names, [date(2025, 12, 1)]) == []
    assert category_month_findings(spending, names, [date(2025, 1, 1)]) == []
    # But a winter far above earlier winters is.
    spending[(heating, date(2025, 12, 1))] = Decimal("990.00")
    findings = category_month_findings(spending, names, [date(2025, 12, 1)])
    assert kinds(findings) == [CATEGORY_MONTH]
    assert findings[0].reason.startswith("Heating in December 2025: $990.00, far above its "
                                         "usual $420.00 (December of earlier years")
    assert findings[0].key == "category_month:7:2025-12"


def test_without_earlier_years_a_month_is_measured_against_the_year_before():
    dining = 3
    spending = {(dining, m): Decimal("200.00") for m in _months(date(2025, 1, 1), 12)}
    spending[(dining, date(2026, 1, 1))] = Decimal("650.00")
    findings = category_month_findings(spending, {dining: "Dining"}, [date(2026, 1, 1)])
    assert len(findings) == 1 and "the 12 months before" in findings[0].reason
