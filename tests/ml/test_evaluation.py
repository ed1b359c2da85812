"""Tests for finance_app/ml/evaluation.py: metrics on a hand-made set with hand-computed values."""

from __future__ import annotations

import pytest

from finance_app.ml.evaluation import Metrics, format_metrics, score_predictions
from finance_app.ml.model import Prediction


def _p(category: str, confidence: float) -> Prediction:
    return Prediction(category, confidence, [(category, confidence)])


def test_score_predictions_by_hand() -> None:
    truth = ["Rent", "Rent", "Fees", "Income"]
    predictions = [_p("Rent", 0.95), _p("Fees", 0.90), _p("Fees", 0.50), _p("Income", 0.81)]
    m = score_predictions(truth, predictions, threshold=0.8)
    # 3 of 4 right
    assert m.accuracy == pytest.approx(0.75)
    # Rent: P=1/1 R=1/2 F1=2/3; Fees: P=1/2 R=1/1 F1=2/3; Income: F1=1 -> mean 7/9
    assert m.macro_f1 == pytest.approx(7 / 9)
    # confident: rows 1, 2, 4 -> 3/4 auto, of which rows 1 and 4 right
    assert m.auto_rate == pytest.approx(0.75)
    assert m.auto_precision == pytest.approx(2 / 3)


def test_threshold_is_inclusive_and_empty_auto_set() -> None:
    m = score_predictions(["A"], [_p("A", 0.8)], threshold=0.8)
    assert m.auto_rate == 1.0
    m = score_predictions(["A"], [_p("A", 0.5)], threshold=0.8)
    assert (m.auto_rate, m.auto_precision) == (0.0, 0.0)


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError):
        score_predictions(["A", "B"], [_p("A", 1.0)])


def test_format_metrics_exact() -> None:
    text = format_metrics(Metrics(0.95, 0.9412, 0.8, 0.99))
    assert text == "accuracy=0.950 macro_f1=0.941 auto_rate=0.800 auto_precision=0.990"
