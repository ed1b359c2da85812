"""Tests for ml/evidence.py and the calibration rules built on it (ml/model.py, ml/training.py)."""

from __future__ import annotations

import numpy as np

from finance_app.ml.evidence import (
    AMBIGUOUS_HINT,
    BRAND,
    CONVENTION,
    HINT,
    KINDS,
    LEXICON_AMBIGUOUS,
    NONE,
    ambiguous_hint_words,
    evidence_kind,
)
from finance_app.ml.model import AUTO_THRESHOLD, BaseModel


def test_each_kind_of_evidence() -> None:
    assert evidence_kind("ZELLE TO BOB SMITH", "debit") == CONVENTION
    assert evidence_kind("SAFEWAY #1234", "debit") == BRAND
    assert evidence_kind("JOES GRILL 1123", "debit") == HINT
    assert evidence_kind("JOES BAR 1123", "debit") == AMBIGUOUS_HINT
    assert evidence_kind("JOES BAR AND GRILL", "debit") == HINT  # a second, unambiguous word
    assert evidence_kind("HABIT PROVO 0279", "debit") == NONE


def test_the_lexicon_gives_some_words_two_senses() -> None:
    # "bar" is a restaurant word and ends "nail bar"; "store" is shopping and ends "food store"
    assert {"kw_bar", "kw_store", "kw_loan"} <= LEXICON_AMBIGUOUS
    assert "kw_grill" not in LEXICON_AMBIGUOUS


def test_a_word_whose_merchants_disagree_is_ambiguous() -> None:
    texts = [f"MERCHANT{n} STUDIO" for n in "ABCDEF"] + [f"PLACE{n} GRILL" for n in "ABCDE"]
    labels = ["Personal Care", "Personal Care", "Personal Care", "Education", "Education",
              "Entertainment"] + ["Restaurants"] * 5
    found = ambiguous_hint_words(texts, labels)
    assert "kw_studio" in found and "kw_grill" not in found
    # counted per merchant: one merchant repeated many times is one vote
    repeated = ["ONLY STUDIO"] * 50 + ["OTHER STUDIO", "THIRD STUDIO", "FOURTH STUDIO"]
    votes = ["Personal Care"] * 50 + ["Education", "Education", "Entertainment"]
    assert "kw_studio" in ambiguous_hint_words(repeated, votes)


def test_an_ambiguous_hint_word_alone_never_auto_assigns(base_model: BaseModel) -> None:
    labels = base_model.labels
    certain = np.zeros((2, len(labels)))
    certain[:, labels.index("Restaurants")] = 1.0
    confidences = base_model.confidences(certain, ["[debit] JOES BAR 1123",
                                                   "[debit] JOES BAR AND GRILL"])
    assert confidences[0] < AUTO_THRESHOLD <= confidences[1]


def test_calibration_is_fitted_per_kind_of_evidence(base_model: BaseModel) -> None:
    assert BRAND in base_model.kind_maps and HINT in base_model.kind_maps
    for kind in KINDS:
        assert base_model.info[f"oof_rows_{kind}"] >= 0
    labels = base_model.labels
    probabilities = np.full((2, len(labels)), 0.02)
    probabilities[:, labels.index("Groceries")] = 0.6
    brand, hint = base_model.confidences(probabilities, ["SAFEWAY 1234", "CORNER GROCERY 1234"])
    expected = (base_model.kind_maps[BRAND](np.array([0.6]))[0],
                base_model.kind_maps[HINT](np.array([0.6]))[0])
    assert (round(brand, 6), round(hint, 6)) == tuple(round(float(v), 6) for v in expected)


def test_the_no_evidence_offset_takes_out_the_default_class(base_model: BaseModel) -> None:
    offset = np.linspace(0.0, 1.0, len(base_model.labels))
    model = BaseModel(base_model.labels, base_model.features, base_model.scorer,
                      base_model.temperature, base_model.confidence_map,
                      no_evidence_offset=offset)
    default = np.exp(offset * model.temperature)[None, :]
    default /= default.sum()
    adjusted = model.adjust_probabilities(np.vstack([default, default]),
                                          ["HABIT PROVO 0279", "JOES GRILL 1123"])
    assert np.allclose(adjusted[0], 1 / len(model.labels))  # no-evidence row: flat
    assert np.allclose(adjusted[1], default[0])  # a row with evidence is left alone


def test_the_offset_is_kept_only_when_it_earns_its_place(base_model: BaseModel) -> None:
    plain = base_model.info.get("oof_accuracy_none_plain")
    with_offset = base_model.info.get("oof_accuracy_none_offset")
    if with_offset is not None and plain is not None:
        assert (base_model.no_evidence_offset is not None) == (with_offset >= plain)
