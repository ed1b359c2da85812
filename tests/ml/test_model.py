"""Tests for finance_app/ml/model.py: predictions, top-3 and confidence."""

from __future__ import annotations

import numpy as np

from finance_app.ml.model import (
    AUTO_THRESHOLD,
    CATEGORIES,
    MONEY_IN_CATEGORIES,
    REFUND_CONFIDENCE_CAP,
    BaseModel,
    Prediction,
)


def test_predict_shape_top3_and_confidence(base_model: BaseModel) -> None:
    texts = ["SQ *BLUE BOTTLE COFFEE", "[credit] ACME CORP PAYROLL PPD ID: 12345", "NSF FEE"]
    predictions = base_model.predict(texts, [-4.5, 2500.0, -35.0])
    assert len(predictions) == 3
    for p in predictions:
        assert isinstance(p, Prediction)
        assert len(p.top) == 3
        assert p.category == p.top[0][0]
        assert len({c for c, _ in p.top}) == 3
        probabilities = [prob for _, prob in p.top]
        assert probabilities == sorted(probabilities, reverse=True)
        assert 0.0 <= p.confidence <= 1.0
        assert all(c in CATEGORIES for c, _ in p.top)


def test_obvious_cases(base_model: BaseModel) -> None:
    predictions = base_model.predict(
        ["[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL SEC:PPD", "OVERDRAFT FEE"],
        [3100.0, -35.0],
    )
    assert [p.category for p in predictions] == ["Income", "Fees"]


def test_probabilities_sum_to_one_and_columns_follow_labels(base_model: BaseModel) -> None:
    probabilities = base_model.predict_proba(["MONTHLY RENT PAYMENT", "TARGET 1234"])
    assert probabilities.shape == (2, len(base_model.labels))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert sorted(base_model.labels) == sorted(CATEGORIES)


def test_confidence_is_monotone_in_top_probability(base_model: BaseModel) -> None:
    grid = np.linspace(0, 1, 50)
    values = base_model.confidence_map(grid)
    assert np.all(np.diff(values) >= 0)


def test_amount_sign_sets_direction(base_model: BaseModel) -> None:
    # (not a P2P string: the p2p convention files those as Transfer either way)
    debit = base_model.predict_proba(["ONLINE TRANSFER J SMITH"], [-200.0])
    credit = base_model.predict_proba(["ONLINE TRANSFER J SMITH"], [200.0])
    assert not np.allclose(debit, credit)


def test_money_in_filed_under_spending_is_never_auto_assigned(base_model: BaseModel) -> None:
    # a refund or payout is booked as income by some households and against spending by others
    labels = base_model.labels
    certain = np.full((4, len(labels)), 0.0)
    certain[[0, 1], labels.index("Shopping")] = 1.0
    certain[[2, 3], labels.index("Income")] = 1.0
    texts = ["ACME BOUTIQUE", "ACME BOUTIQUE", "ACME PAYROLL", "[credit] ACME PAYROLL"]
    confidences = base_model.confidences(certain, texts, [-20.0, 20.0, 900.0, None])
    spending_out, spending_in, income_in, income_marked = confidences.tolist()
    assert spending_in <= REFUND_CONFIDENCE_CAP < AUTO_THRESHOLD
    assert spending_out > AUTO_THRESHOLD
    assert income_in > AUTO_THRESHOLD and income_marked > AUTO_THRESHOLD
    assert "Income" in MONEY_IN_CATEGORIES
    # predict() applies it: the same merchant as a credit is capped, as a debit it is not
    credit, debit = base_model.predict(["[credit] NETFLIX.COM", "NETFLIX.COM"], [15.49, -15.49])
    assert credit.category in MONEY_IN_CATEGORIES or credit.confidence <= REFUND_CONFIDENCE_CAP
    assert debit.category == "Subscriptions" and debit.confidence > REFUND_CONFIDENCE_CAP


def test_empty_input(base_model: BaseModel) -> None:
    assert base_model.predict([]) == []


def test_is_auto_uses_threshold() -> None:
    p = Prediction("Rent", 0.85, [("Rent", 0.9), ("Mortgage", 0.05), ("Fees", 0.05)])
    assert p.is_auto()
    assert not p.is_auto(0.9)
