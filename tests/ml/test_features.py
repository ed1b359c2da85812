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


def test_clean_text_keeps_names_glued_to_references() -> None:
    # a reference after "*" or a number glued to a word must not take the name with it
    assert clean_text("[debit] marathon*77p0l6viwv2") == "marathon"
    assert clean_text("MVM3 98120398rent WEB1897137") == "mvm rent web"
    assert clean_text("1108914IH2NS48MR HABIT 0279") == "habit"
    # squeezed names that kept their capitals are split; the PayPal wrapper still goes
    assert clean_text("SSP*PremierBalletConserv 420-1987131") == "ssp premier ballet conserv"
    assert clean_text("[debit] PreApproved Payment Bill User Payment: HARTFORD") == "hartford"


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


def test_a_cut_off_last_word_counts_for_the_hint_it_begins() -> None:
    assert "hint_shopping" in hint_tokens("goody goody liqu")
    assert "hint_health" in hint_tokens("acme pharm")
    # a stump inside the string, or one shared by words of several categories, is no hint
    assert "hint_shopping" not in hint_tokens("liqu goody")
    assert "hint_groceries" in hint_tokens("zz groc")  # grocer, grocery: one category
    assert not any(t.startswith("hint_") for t in hint_tokens("zz elec"))  # electric, electronics
    assert not any(t.startswith("hint_") for t in hint_tokens("zz medi"))  # medical, mediterranean
    assert not any(t.startswith("hint_") for t in hint_tokens("zz pla"))  # too short


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
