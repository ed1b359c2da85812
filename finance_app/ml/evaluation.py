"""Measuring a categorizer: accuracy, macro-F1 and how much it can auto-assign, how precisely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from finance_app.ml.model import AUTO_THRESHOLD, Prediction
from finance_app.ml.training import LabelledRow, train_base_model


@dataclass(frozen=True)
class Metrics:
    """Accuracy, macro-F1 over true labels, share auto-assigned and precision of those."""

    accuracy: float
    macro_f1: float
    auto_rate: float
    auto_precision: float


def score_predictions(
    truth: Sequence[str], predictions: Sequence[Prediction], threshold: float = AUTO_THRESHOLD
) -> Metrics:
    """Metrics of predictions against true labels; macro-F1 averages over the true labels."""
    if len(truth) != len(predictions):
        raise ValueError("truth and predictions differ in length")
    if not truth:
        return Metrics(0.0, 0.0, 0.0, 0.0)
    guesses = [p.category for p in predictions]
    correct = [t == g for t, g in zip(truth, guesses, strict=True)]
    f1s = []
    for label in sorted(set(truth)):
        tp = sum(1 for t, g in zip(truth, guesses, strict=True) if t == label and g == label)
        predicted = sum(1 for g in guesses if g == label)
        actual = sum(1 for t in truth if t == label)
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    auto = [c for c, p in zip(correct, predictions, strict=True) if p.confidence >= threshold]
    return Metrics(
        accuracy=sum(correct) / len(truth),
        macro_f1=sum(f1s) / len(f1s),
        auto_rate=len(auto) / len(truth),
        auto_precision=sum(auto) / len(auto) if auto else 0.0,
    )


def evaluate(
    train_rows: Sequence[LabelledRow],
    test_rows: Sequence[LabelledRow],
    threshold: float = AUTO_THRESHOLD,
) -> Metrics:
    """Train a base model on train_rows and measure it on test_rows."""
    model = train_base_model(train_rows)
    predictions = model.predict(
        [r.description for r in test_rows], [r.amount for r in test_rows]
    )
    return score_predictions([r.category for r in test_rows], predictions, threshold)


def format_metrics(metrics: Metrics) -> str:
    """One line such as "accuracy=0.950 macro_f1=0.940 auto_rate=0.800 auto_precision=0.990"."""
    return (
        f"accuracy={metrics.accuracy:.3f} macro_f1={metrics.macro_f1:.3f} "
        f"auto_rate={metrics.auto_rate:.3f} auto_precision={metrics.auto_precision:.3f}"
    )
