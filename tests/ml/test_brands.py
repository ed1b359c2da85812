"""Tests for finance_app/ml/brands.py: the brand lexicon and how it reaches the features."""

from __future__ import annotations

import pytest

from finance_app.ml.brands import BRANDS, brand_categories, brand_key_count, brand_tokens
from finance_app.ml.features import FeatureSpace, meta_tokens
from finance_app.ml.model import CATEGORIES


def test_lexicon_is_large_and_uses_known_categories() -> None:
    # "Bank" is a kind, not a category: a bank payment may be a card bill, a loan or a mortgage
    assert set(BRANDS) <= {*CATEGORIES, "Bank"}
    assert brand_key_count() >= 2000


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("[debit] THE HOME DEPOT #6543 ATLANTA GA", "Shopping"),
        ("HOMEDEPOT.COM 1234567", "Shopping"),
        ("TRADER JOE'S #552 QPS", "Groceries"),
        ("SPEEDWAY 03311 COLUMBUS OH", "Transport"),
        ("KAYAK*FLIGHT 8832", "Travel"),
        ("bath and body works", "Personal Care"),
        ("T-MOBILE*AUTO PAY", "Utilities"),
        ("ADP PAYROLL PPD ID: 9111", "Income"),
        ("GEICO *AUTO", "Insurance"),
    ],
)
def test_known_brands_are_found_in_bank_spellings(text: str, category: str) -> None:
    assert brand_categories(text) == (category,)


def test_longest_name_wins() -> None:
    # "Express" alone is a clothing retailer; inside "American Express" it is the card issuer
    assert brand_categories("AMERICAN EXPRESS ACH PMT") == ("Transfer",)
    assert brand_categories("EXPRESS #0423 MALL") == ("Shopping",)
    assert brand_categories("DELTA DENTAL INS") == ("Insurance",)
    assert brand_categories("DELTA AIR LINES 0062") == ("Travel",)


def test_unknown_and_partial_words_do_not_match() -> None:
    assert brand_tokens("JOE'S CORNER GRILL") == ()
    assert brand_tokens("TARGETED ADS LLC") == ()  # whole words only
    assert brand_tokens("") == ()


def test_short_digit_names_survive_and_store_numbers_do_not_matter() -> None:
    assert brand_categories("24 HOUR FITNESS 00123") == ("Personal Care",)
    assert brand_categories("1-800 CONTACTS") == ("Health",)
    assert brand_tokens("TARGET T-0223") == brand_tokens("TARGET 99812344") == ("brand_shopping",)


def test_brand_tokens_reach_the_features() -> None:
    tokens = meta_tokens("[debit] SAFEWAY #1234", -52.0, None)
    assert "brand_groceries" in tokens
    assert "brand_groceries_debit" in tokens
    assert "brand_none" in meta_tokens("[debit] ZQX LLC", -5.0, None)


def test_brand_weight_scales_only_brand_columns() -> None:
    light, heavy = FeatureSpace(n_features=2**10), FeatureSpace(n_features=2**10, brand_weight=2.4)
    texts = ["[debit] SAFEWAY 1", "[debit] ZQX LLC"]
    a, b = light.fit_transform(texts), heavy.fit_transform(texts)
    assert a[0].sum() < b[0].sum()  # the brand row grew
    assert a[1].sum() == pytest.approx(b[1].sum() - (2.4 - 0.6) * 1.0)  # only brand_none grew


def test_the_lexicon_file_loads_in_order_and_rejects_a_name_outside_a_section(tmp_path):
    from finance_app.ml.brands import BRANDS, load_brands

    assert list(BRANDS)[:3] == ["Groceries", "Restaurants", "Transport"]
    # a name written in brackets is a name, not a section
    assert "[solidcore]" in BRANDS["Personal Care"]
    good = tmp_path / "good.txt"
    good.write_text("# note\n[category: Pets]\nchewy\n  petco  \nchewy\n", encoding="utf-8")
    assert load_brands(good) == {"Pets": ("chewy", "petco")}
    bad = tmp_path / "bad.txt"
    bad.write_text("chewy\n[category: Pets]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        load_brands(bad)
