"""Tests for finance_app/ml/features.py and lexicon.py: text cleaning, direction and hints."""

from __future__ import annotations

import scipy.sparse as sp

from finance_app.ml.features import (
    FeatureSpace,
    amount_bucket,
    clean_text,
    direction_of,
    meta_tokens,
)
from finance_app.ml.lexicon import hint_tokens


def test_direction_prefers_amount_sign_over_marker() -> None:
    assert direction_of("[credit] REFUND", -3.0) == "debit"
    assert direction_of("[debit] SHOP", 12.0) == "credit"
    assert direction_of("[credit] REFUND") == "credit"
    assert direction_of("SHOP") == "unknown"
    assert direction_of("SHOP", float("nan")) == "unknown"


def test_clean_text_drops_markers_ids_and_statement_style() -> None:
    assert clean_text("[debit] Subscription Payment: JIFFY LUBE #123") == "jiffy lube"
    assert clean_text("[debit] PAYPAL INST XFER LAZ PARKING WEB ID: PAYPALSI89") == "laz parking"
    assert clean_text("TRADER JOE'S 2K4L12") == "trader joes"


def test_amount_bucket() -> None:
    assert amount_bucket(None) == "amt_na"
    assert amount_bucket(0) == "amt_0"
    assert amount_bucket(-5.0) == amount_bucket(5.0)
    assert amount_bucket(5.0) != amount_bucket(1500.0)


def test_hints_find_generic_words() -> None:
    tokens = hint_tokens("teds montana grill")
    assert "hint_restaurants" in tokens
    assert "kw_grill" in tokens
    assert "hint_income" in hint_tokens("acme dir dep")
    assert hint_tokens("zzzz") == ()


def test_meta_tokens_include_provider_category() -> None:
    tokens = meta_tokens("SOMETHING", -1.0, "Food and Drink")
    assert "prov_food_and_drink" in tokens
    assert "dir_debit" in tokens
    assert "hint_none" in tokens


def test_feature_space_transform_has_fixed_width() -> None:
    space = FeatureSpace(n_features=2**10)
    x = space.fit_transform(["A GRILL", "B MARKET"])
    y = space.transform(["SOMETHING ELSE ENTIRELY"], [5.0], ["Shops"])
    assert x.shape[1] == y.shape[1]
    assert y.nnz > 0


def test_repeated_strings_share_features_and_parts_rebuild_the_matrix() -> None:
    space = FeatureSpace(n_features=2**10)
    space.fit_transform(["[debit] A GRILL 1", "[credit] B MARKET 2", "SHELL OIL 3"])
    texts = ["STARBUCKS #1234", "STARBUCKS #5678", "[credit] ACME PAYROLL"]
    x = space.transform(texts, [-4.0, -4.0, 900.0])
    assert (x[0] != x[1]).nnz == 0  # store numbers are masked before analysis
    text, text_rows, meta, meta_rows = space.transform_parts(texts, [-4.0, -4.0, 900.0])
    assert text.shape[0] == 2 and list(text_rows) == [0, 0, 1]
    rebuilt = sp.hstack([text[text_rows], meta[meta_rows]], format="csr")
    assert abs(rebuilt - x).max() < 1e-6
