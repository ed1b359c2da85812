"""Fixtures for the categorizer tests: a small base model trained once per session."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from finance_app.ml.model import BaseModel
from finance_app.ml.training import (
    SHIPPED_TRAINING_CSV,
    LabelledRow,
    read_labelled_csv,
    train_base_model,
)

SAMPLE_PER_CATEGORY = 180


@pytest.fixture(scope="session")
def shipped_rows() -> list[LabelledRow]:
    return read_labelled_csv(SHIPPED_TRAINING_CSV)


@pytest.fixture(scope="session")
def small_rows(shipped_rows: list[LabelledRow]) -> list[LabelledRow]:
    """A few thousand rows, the same number per category, so tests train in seconds."""
    rng = random.Random(0)
    by_category: dict[str, list[LabelledRow]] = {}
    for row in shipped_rows:
        by_category.setdefault(row.category, []).append(row)
    sample = []
    for rows in by_category.values():
        sample += rng.sample(rows, SAMPLE_PER_CATEGORY)
    return sample


@pytest.fixture(scope="session")
def base_model(small_rows: list[LabelledRow]) -> BaseModel:
    return train_base_model(small_rows, n_features=2**16)


@pytest.fixture()
def write_csv(tmp_path: Path):
    """Write rows (dicts) as a CSV in tmp_path and return its path."""

    def write(name: str, header: list[str], rows: list[list[object]]) -> Path:
        import csv

        path = tmp_path / name
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write
