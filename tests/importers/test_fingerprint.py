from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from finance_app.importers import (
    assign_occurrences,
    description_similarity,
    fingerprint,
    header_signature,
    is_probable_duplicate,
    parse_file,
)

JAN2 = dt.date(2025, 1, 2)


@dataclass
class Txn:
    date: dt.date
    amount: Decimal
    description: str


def fingerprints(data: bytes, account: str = "acct-1") -> list[str]:
    return [row.fingerprint(account) for row in parse_file(data, "f.csv")[2].rows]


def test_identical_purchases_on_one_day_keep_distinct_fingerprints_and_reparse_stably():
    data = (
        b"Date,Description,Amount\n"
        b"2025-01-02,SQ *BLUE BOTTLE COFFEE,-4.50\n"
        b"2025-01-02,SQ *BLUE BOTTLE COFFEE,-4.50\n"
        b"2025-01-02,SQ *BLUE BOTTLE COFFEE,-5.00\n"
    )
    first = fingerprints(data)
    assert len(set(first)) == 3
    assert fingerprints(data) == first
    assert [r.occurrence for r in parse_file(data, "f.csv")[2].rows] == [0, 1, 0]


def test_overlapping_export_gives_the_same_fingerprints_for_the_overlap():
    january = (
        b"Date,Description,Amount\n"
        b"2025-01-30,Coffee,-3.00\n"
        b"2025-01-31,Coffee,-3.00\n"
        b"2025-01-31,Coffee,-3.00\n"
    )
    # A later export, newest first, in another layout, covering the 31st again.
    later = (
        b"Description,Amount,Date\n"
        b"Tea,-2.00,2025-02-01\n"
        b"COFFEE ,-3.0,2025-01-31\n"
        b"Coffee,-3.00,2025-01-31\n"
    )
    assert set(fingerprints(january)[1:]) == set(fingerprints(later)[1:])


def test_fingerprint_depends_on_account_and_normalizes_fields():
    base = fingerprint("acct-1", JAN2, Decimal("12.50"), "Corner  Shop", 0)
    assert base == fingerprint("acct-1", JAN2, Decimal("12.5000"), " corner shop", 0)
    assert base != fingerprint("acct-2", JAN2, Decimal("12.50"), "Corner Shop", 0)
    assert base != fingerprint("acct-1", JAN2, Decimal("-12.50"), "Corner Shop", 0)
    assert base != fingerprint("acct-1", JAN2, Decimal("12.50"), "Corner Shop", 1)
    assert len(base) == 64 and int(base, 16) >= 0


def test_assign_occurrences_counts_per_identical_key():
    rows = [Txn(JAN2, Decimal("1"), "A"), Txn(JAN2, Decimal("1.00"), "a"),
            Txn(JAN2, Decimal("2"), "A"), Txn(JAN2, Decimal("1"), "A")]
    assert assign_occurrences(rows) == [0, 1, 0, 2]


def test_header_signature_is_stable_and_shape_sensitive():
    assert header_signature(["Date", "Amount"]) == header_signature([" date", "AMOUNT"])
    assert header_signature(["Date", "Amount"]) != header_signature(["Amount", "Date"])
    assert header_signature(["Date", "Amount"]) != header_signature(["Date", "Amount", ""])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Txn(JAN2, Decimal("-9.99"), "NETFLIX.COM"),
         Txn(dt.date(2025, 1, 4), Decimal("-9.990"), "Netflix.com 866-579-7172"), True),
        (Txn(JAN2, Decimal("-50"), "AMAZON"),
         Txn(dt.date(2025, 1, 3), Decimal("-50"), "AMAZON MKTP US*2K4"), True),
        (Txn(JAN2, Decimal("-9.99"), "NETFLIX.COM"),
         Txn(dt.date(2025, 1, 6), Decimal("-9.99"), "NETFLIX.COM"), False),  # 4 days apart
        (Txn(JAN2, Decimal("-9.99"), "NETFLIX.COM"),
         Txn(JAN2, Decimal("-10.99"), "NETFLIX.COM"), False),
        (Txn(JAN2, Decimal("-9.99"), "NETFLIX.COM"),
         Txn(JAN2, Decimal("-9.99"), "SPOTIFY USA"), False),
    ],
)
def test_is_probable_duplicate(a, b, expected):
    assert is_probable_duplicate(a, b) is expected


def test_description_similarity_range():
    assert description_similarity("Shell Oil 4313", "SHELL OIL 4313") == 1.0
    assert description_similarity("Shell Oil", "Trader Joe's") == 0.0
    assert 0 < description_similarity("Trader Joe's #8067", "Trader Joe's #1506") < 1
