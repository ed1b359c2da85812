"""Fixtures for importer tests: the sample bank exports and small helpers to parse inline text."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from finance_app.importers import ParseResult, parse_file

DATA = Path(__file__).resolve().parents[1] / "data" / "bank-exports"
Key = tuple[str, Decimal, str]


@pytest.fixture
def load_sample() -> Callable[[str], bytes]:
    def load(name: str) -> bytes:
        return (DATA / name).read_bytes()

    return load


@pytest.fixture
def expected_rows() -> Counter[Key]:
    with (DATA / "expected.csv").open(newline="", encoding="utf-8") as handle:
        return Counter(
            (row["date"], Decimal(row["amount"]), row["description"])
            for row in csv.DictReader(handle)
        )


@pytest.fixture
def parse_text() -> Callable[..., ParseResult]:
    """Parse inline file content (str is encoded as UTF-8) and return the result."""

    def parse(content: str | bytes, filename: str = "upload.csv") -> ParseResult:
        data = content.encode("utf-8") if isinstance(content, str) else content
        return parse_file(data, filename)[2]

    return parse


def as_keys(result: ParseResult) -> list[tuple[str, str, str]]:
    """Rows as (iso date, amount, description) strings, for compact assertions."""
    return [(r.date.isoformat(), str(r.amount), r.description) for r in result.rows]
