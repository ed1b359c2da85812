"""Tests for ml/conventions.py: each booking convention, and that they follow the training data."""

from __future__ import annotations

from collections import Counter

import pytest

from finance_app.ml.conventions import CONVENTIONS, conformed_category, convention_of
from finance_app.ml.features import direction_of, meta_tokens
from finance_app.ml.model import BaseModel
from finance_app.ml.training import LabelledRow, conform_rows


@pytest.mark.parametrize(("text", "direction", "name", "category"), [
    ("Zelle payment from ANNA LEE 8XK2", "credit", "p2p", "Transfer"),
    ("ZELLE TO BOB SMITH", "debit", "p2p", "Transfer"),
    ("VENMO CASHOUT PPD ID: 0095", "credit", "p2p", "Transfer"),
    ("CASH APP*JANE DOE", "debit", "p2p", "Transfer"),
    ("Payment Refund: ADIDAS.COM", "credit", "store_return", "Income"),
    ("TARGET MERCHANDISE RETURN 0042", "credit", "store_return", "Income"),
    ("EBAY PAYOUT", "credit", "payout", "Income"),
    ("ORIG CO NAME:ETSY CO ENTRY DESCR:PAYMENTS", "credit", "payout", "Income"),
    ("RENTCAFE ONLINE PAYMENT OAK PARK", "debit", "rent_portal", "Rent"),
    ("APPFOLIO *MAPLE COURT", "debit", "rent_portal", "Rent"),
    ("LENDINGCLUB LOAN PMT", "debit", "loan_servicer", "Transfer"),
    ("NAVIENT STUDENT LOAN", "debit", "loan_servicer", "Transfer"),
    ("CHASE CREDIT CARD PAYMENT", "debit", "card_payment", "Transfer"),
    ("MTA*METROCARD 34 ST", "debit", "transit", "Transport"),
    ("CLIPPER TRANSIT FARE", "debit", "transit", "Transport"),
    ("E-ZPASS NY REBILL", "debit", "toll", "Transport"),
    ("SUNPASS*ACC 1234", "debit", "toll", "Transport"),
])  # fmt: skip
def test_each_convention_names_its_kind_and_category(text, direction, name, category):
    convention = convention_of(text, direction)
    assert convention is not None and (convention.name, convention.category) == (name, category)


@pytest.mark.parametrize(("text", "direction"), [
    ("WELLS FARGO HOME LOAN PAYMENT", "debit"),  # a home loan is a mortgage, not a loan servicer
    ("RETURNED ITEM FEE", "credit"),  # a bank fee, not a store return
    ("AMAZON MKTPL*2K4L12", "credit"),  # money back without a return word: the model decides
    ("TOO GOOD TO GO APP", "debit"),  # a food app, not a toll tag
    ("PAYPAL INST XFER PLURALSIGHT", "debit"),  # a statement style, not P2P
    ("ETSY PAYMENTS", "debit"),  # paying a platform is not a payout
])  # fmt: skip
def test_look_alikes_fall_under_no_convention(text, direction):
    assert convention_of(text, direction) is None


def test_conventions_follow_the_training_data(shipped_rows: list[LabelledRow]) -> None:
    """Every convention agrees with the shipped labels, except P2P money coming in, which the
    source files as Income and the convention (like every other P2P move) as Transfer."""
    seen: dict[str, Counter[str]] = {c.name: Counter() for c in CONVENTIONS}
    for row in shipped_rows:
        direction = direction_of(row.description, row.amount)
        convention = convention_of(row.description, direction)
        if convention is not None:
            key = convention.name
            if key == "p2p" and direction == "credit":
                key = "p2p_in"
            seen.setdefault(key, Counter())[row.category] += 1
    by_name = {c.name: c for c in CONVENTIONS}
    for name in ("p2p", "store_return", "payout", "rent_portal", "card_payment", "transit",
                 "toll"):
        counts = seen[name]
        assert counts, name
        assert counts[by_name[name].category] / sum(counts.values()) >= 0.99, (name, counts)
    assert set(seen["p2p_in"]) == {"Income"}  # what conform_rows changes


def test_training_rows_are_conformed_to_the_conventions() -> None:
    rows = [LabelledRow("[credit] Zelle payment from ANNA LEE", "Income"),
            LabelledRow("[debit] SAFEWAY 1234", "Groceries"),
            LabelledRow("ZELLE FROM BOB", "Income", 40.0)]
    assert [r.category for r in conform_rows(rows)] == ["Transfer", "Groceries", "Transfer"]
    assert conformed_category("WHOLE FOODS", "debit", "Groceries") == "Groceries"


def test_a_convention_is_a_model_feature_and_leads_the_ranking(base_model: BaseModel) -> None:
    assert "conv_p2p" in meta_tokens("[credit] Zelle payment from ANNA LEE", None, None)
    texts = ["[credit] Zelle payment from ANNA LEE", "[debit] RENTCAFE PAYMENT ELM COURT",
             "[debit] LENDINGCLUB LOAN PMT 0042", "[debit] FASTRAK TOLL 1234"]
    predictions = base_model.predict(texts)
    assert [p.category for p in predictions] == ["Transfer", "Rent", "Transfer", "Transport"]
