"""Tests for finance_app/ml/training.py: reading labelled CSVs and the confidence map."""

from __future__ import annotations

import numpy as np
import pytest

from finance_app.ml.training import (
    TrainingDataError,
    fit_confidence_map,
    merchant_group,
    read_labelled_csv,
)


def test_read_labelled_csv_with_and_without_amount(write_csv) -> None:
    path = write_csv("a.csv", ["description", "category", "amount"], [["X", "Rent", "-10.5"]])
    assert read_labelled_csv(path)[0].amount == -10.5
    path = write_csv("b.csv", ["description", "category"], [["X", "Rent"]])
    assert read_labelled_csv(path)[0].amount is None


def test_read_labelled_csv_needs_columns(write_csv) -> None:
    path = write_csv("c.csv", ["text", "label"], [["X", "Rent"]])
    with pytest.raises(TrainingDataError):
        read_labelled_csv(path)


def test_merchant_group_ignores_store_numbers() -> None:
    assert merchant_group("TARGET T-0223") == merchant_group("[debit] target #5861 new york")


def test_confidence_map_reaches_threshold_only_where_precise() -> None:
    rng = np.random.default_rng(0)
    top = rng.uniform(0.2, 1.0, 5000)
    correct = rng.uniform(0, 1, 5000) < top  # local precision equals the top probability
    conf = fit_confidence_map(top, correct, threshold=0.8, target=0.95)
    auto = conf(top) >= 0.8
    assert auto.any()
    assert correct[auto].mean() >= 0.94
    assert np.all(np.diff(conf(np.linspace(0, 1, 100))) >= 0)


def test_confidence_map_leaves_out_an_imprecise_band_under_a_precise_top() -> None:
    # near-certain predictions above a band that is right only 60 % of the time: the pooled
    # precision of both would pass the target, but the band must stay under the threshold
    top = np.concatenate([np.full(4000, 0.99), np.full(400, 0.6), np.full(600, 0.3)])
    correct = np.concatenate([np.ones(4000, bool), np.arange(400) % 5 < 3, np.zeros(600, bool)])
    conf = fit_confidence_map(top, correct, threshold=0.8, target=0.95, local_floor=0.9)
    assert conf(np.array([0.99]))[0] >= 0.8
    assert conf(np.array([0.6]))[0] < 0.8
