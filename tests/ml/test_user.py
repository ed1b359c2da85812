"""Tests for finance_app/ml/user.py: user labels win, and users never affect one another."""

from __future__ import annotations

import pytest

from finance_app.ml.model import BaseModel
from finance_app.ml.user import UserModelError, train_user_model

AMAZON = [
    ("AMZN Mktp US*2K4L12", -23.5, "Household"),
    ("AMAZON MKTPL*AIDPW5772C1", -41.0, "Household"),
    ("Amazon.com*CPY7I978", -12.99, "Household"),
]
STARBUCKS = [
    ("SQ *STARBUCKS 1234", -5.4, "Coffee"),
    ("STARBUCKS STORE 04512 SEATTLE WA", -6.1, "Coffee"),
]
DEFAULTS = [
    ("[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL SEC:PPD", 3100.0, "Income"),
    ("OVERDRAFT FEE", -35.0, "Fees"),
]


def test_user_labels_override_base_for_known_merchants(base_model: BaseModel) -> None:
    user = train_user_model(base_model, AMAZON + STARBUCKS + DEFAULTS)
    predictions = user.predict(
        ["AMZN Mktp US*9ZZ1Q0", "STARBUCKS #99812 PORTLAND OR", "OVERDRAFT FEE"],
        [-30.0, -4.0, -35.0],
    )
    assert [p.category for p in predictions] == ["Household", "Coffee", "Fees"]
    assert predictions[0].source == "memory"
    assert predictions[0].confidence >= 0.8
    assert "Household" not in base_model.labels


def test_category_rename_generalizes_to_new_merchants(base_model: BaseModel) -> None:
    # the user calls every grocery "Food": after a few examples, new grocers follow
    grocers = ["WHOLE FOODS MARKET", "SAFEWAY #1234", "KROGER 0042", "PUBLIX SUPER MARKETS",
               "ALDI 7781", "H MART 3219", "SPROUTS FARMERS MARKET", "WEGMANS 55"]  # fmt: skip
    examples = [(g, -60.0, "Food") for g in grocers] + DEFAULTS
    user = train_user_model(base_model, examples)
    base_says = base_model.predict(["GREEN VALLEY GROCERY MARKET 77"], [-45.0])[0]
    user_says = user.predict(["GREEN VALLEY GROCERY MARKET 77"], [-45.0])[0]
    assert base_says.category == "Groceries"
    assert user_says.category == "Food"


def test_base_answers_where_the_user_has_not_spoken(base_model: BaseModel) -> None:
    user = train_user_model(base_model, AMAZON)
    prediction = user.predict(["[credit] ORIG CO NAME:INITECH CO ENTRY DESCR:PAYROLL"], [900.0])
    assert prediction[0].category == "Income"
    assert prediction[0].source == "base"


def test_users_are_isolated(base_model: BaseModel) -> None:
    texts = ["AMZN Mktp US*2K4L12", "SQ *STARBUCKS 1234", "OVERDRAFT FEE"]
    amounts = [-20.0, -5.0, -35.0]
    bob = train_user_model(base_model, [("OVERDRAFT FEE", -35.0, "Bank Charges")])
    bob_before = bob.predict(texts, amounts)
    base_before = base_model.predict(texts, amounts)
    alice = train_user_model(base_model, AMAZON + STARBUCKS)
    assert [p.category for p in alice.predict(texts, amounts)][:2] == ["Household", "Coffee"]
    assert bob.predict(texts, amounts) == bob_before
    assert base_model.predict(texts, amounts) == base_before
    assert bob_before[2].category == "Bank Charges"
    assert bob_before[0].category != "Household"


def test_latest_choice_wins_for_a_merchant(base_model: BaseModel) -> None:
    examples = [("NETFLIX.COM 1234", -15.0, "Entertainment")] * 2 + [
        ("NETFLIX.COM 9876", -15.0, "Subscriptions")
    ] * 3
    user = train_user_model(base_model, examples)
    assert user.predict(["NETFLIX.COM 5555"], [-15.0])[0].category == "Subscriptions"


def test_needs_examples_and_a_base(base_model: BaseModel) -> None:
    with pytest.raises(UserModelError):
        train_user_model(base_model, [])
    user = train_user_model(base_model, AMAZON)
    user.base = None
    with pytest.raises(UserModelError):
        user.predict(["X"])
