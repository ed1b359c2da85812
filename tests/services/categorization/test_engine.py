"""Tests for services/categorization/engine.py: each decision step, their order, locks, review."""
# ruff: noqa: F811  (pytest fixtures imported from tests.categorization_fixtures)

from __future__ import annotations

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.categorization import CategorySuggestion, MerchantMemory
from finance_app.models.ledger import Transaction
from finance_app.services.categorization import categorize
from finance_app.services.categorization.engine import _Run
from finance_app.services.categorization.review import count_review
from finance_app.services.categorization.rules import RuleInput, create_rule
from finance_app.services.categorization.settings import EngineSettings
from finance_app.services.transactions import records as txn_service
from tests.categorization_fixtures import (  # noqa: F401
    app_config,
    base_model_dir,
    model_dir,
    settings,
    small_base_model,
)
from tests.factories import category, household_of, imported, make_user, scope_of


def _user(email: str = "eng@example.com") -> int:
    return make_user(email).id


def test_model_step_auto_assigns_above_threshold_and_records_source(ctx, settings):
    uid = _user()
    payroll = imported(uid, "[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL SEC:PPD",
                       "3100.00")
    summary = categorize(db.session, scope_of(uid), [payroll], settings=settings)
    assert payroll.category_id == category(uid, "Income").id
    assert payroll.category_source == "model"
    assert payroll.category_confidence >= 0.8
    assert summary.decided == {"model": 1}
    assert payroll.merchant  # normalized display name
    assert payroll.raw_description.startswith("[credit] ORIG CO NAME")


def test_below_threshold_goes_to_review_with_top3(ctx, settings):
    uid = _user()
    scope = scope_of(uid)
    odd = imported(uid, "XQZ 7781 HOLDINGS", "-40.00")
    strict = EngineSettings(model_dir=settings.model_dir, threshold=0.999)
    summary = categorize(db.session, scope, [odd], settings=strict)
    assert odd.category_id is None and odd.category_source is None
    assert summary.review == 1
    row = db.session.get(CategorySuggestion, odd.id)
    assert 1 <= len(row.suggestions) <= 3
    assert row.suggestions[0][1] == odd.category_confidence
    assert count_review(db.session, scope) == 1


def test_history_beats_model_and_rules_beat_history(ctx, settings):
    uid = _user()
    scope = scope_of(uid)
    household = category(uid, "Household")
    gifts = category(uid, "Gifts & donations")
    first = imported(uid, "AMZN Mktp US*2K4L12", "-23.50")
    txn_service.update_transaction(db.session, scope, first.id, category_id=household.id)
    again = imported(uid, "AMAZON MKTPL*AIDPW5772C1", "-41.00")
    categorize(db.session, scope, [again], settings=settings)
    assert (again.category_id, again.category_source) == (household.id, "history")

    create_rule(db.session, scope, RuleInput(
        name="Big Amazon", conditions=[
            {"field": "merchant", "op": "equals", "value": "Amazon"},
            {"field": "amount", "op": "out_between", "min": "100", "max": ""}],
        category_id=gifts.id))
    small = imported(uid, "AMZN Mktp US*XYZ12", "-30.00")
    big = imported(uid, "AMZN Mktp US*ABC99", "-150.00")
    categorize(db.session, scope, [small, big], settings=settings)
    assert (small.category_id, small.category_source) == (household.id, "history")
    assert (big.category_id, big.category_source) == (gifts.id, "rule")
    assert big.category_confidence == 1.0


def test_user_set_category_is_never_overwritten_but_becomes_a_label(ctx, settings):
    uid = _user()
    scope = scope_of(uid)
    gifts = category(uid, "Gifts & donations")
    create_rule(db.session, scope, RuleInput(
        name="Payroll", conditions=[{"field": "description", "op": "contains",
                                     "value": "payroll"}],
        category_id=category(uid, "Income").id, merchant="Globex"))
    txn = imported(uid, "ORIG CO NAME:GLOBEX PAYROLL", "500.00")
    txn_service.update_transaction(db.session, scope, txn.id, category_id=gifts.id,
                                   merchant="My employer")
    categorize(db.session, scope, [txn], settings=settings)
    assert txn.category_id == gifts.id and txn.category_source == "user"
    assert txn.merchant == "My employer"
    memory = db.session.query(MerchantMemory).filter_by(household_id=household_of(uid)).one()
    assert memory.category_id == gifts.id


def test_without_a_base_model_rules_and_history_still_work(ctx, tmp_path):
    uid = _user()
    scope = scope_of(uid)
    empty = EngineSettings(model_dir=str(tmp_path / "none"))
    create_rule(db.session, scope, RuleInput(
        name="Rent", conditions=[{"field": "description", "op": "contains", "value": "rent"}],
        category_id=category(uid, "Rent").id))
    rent = imported(uid, "MONTHLY RENT PAYMENT", "-1500.00")
    unknown = imported(uid, "SOMEWHERE 123", "-15.00")
    summary = categorize(db.session, scope, [rent, unknown], settings=empty)
    assert rent.category_source == "rule"
    assert unknown.category_id is None
    assert db.session.get(CategorySuggestion, unknown.id).suggestions == []
    assert summary.review == 1


def test_split_transactions_are_left_alone(ctx, settings):
    from decimal import Decimal

    from finance_app.services.transactions.splits import SplitInput, split_transaction

    uid = _user()
    scope = scope_of(uid)
    txn = imported(uid, "TARGET 1234", "-50.00")
    split_transaction(db.session, scope, txn.id, [
        SplitInput(Decimal("-30.00"), category(uid, "Groceries").id),
        SplitInput(Decimal("-20.00"), category(uid, "Shopping").id)])
    categorize(db.session, scope, [txn], settings=settings)
    assert txn.category_id is None and txn.category_source is None
    assert count_review(db.session, scope) == 0


def test_identical_features_are_scored_once(ctx, settings, monkeypatch):
    uid = _user()
    rows = [imported(uid, f"SHELL OIL {n:05d}", "-40.00") for n in range(20)]
    seen: list[int] = []
    original = _Run._predict

    def spy(self, predictor, rows):
        real = predictor.predict_scores

        def counting(texts, *args):
            seen.append(len(texts))
            return real(texts, *args)

        monkeypatch.setattr(predictor, "predict_scores", counting)
        return original(self, predictor, rows)

    monkeypatch.setattr(_Run, "_predict", spy)
    categorize(db.session, scope_of(uid), rows, settings=settings)
    assert seen == [1]
    assert len({t.category_id for t in rows}) == 1


def test_transactions_of_another_user_are_refused(ctx, settings):
    import pytest

    alice, bob = _user("a@example.com"), _user("b@example.com")
    txn = imported(alice, "SHELL OIL 1", "-10.00")
    with pytest.raises(ValueError):
        categorize(db.session, scope_of(bob), [txn], settings=settings)


def test_categorize_ids_decides_like_categorize_and_updates_loaded_objects(ctx, settings):
    from finance_app.services.categorization import categorize_ids

    uid = _user()
    payroll = imported(uid, "[credit] ORIG CO NAME:GLOBEX CO ENTRY DESCR:PAYROLL SEC:PPD",
                       "3100.00")
    odd = imported(uid, "XQZ 7781 HOLDINGS", "-40.00")
    strict = EngineSettings(model_dir=settings.model_dir, threshold=0.999)
    summary = categorize_ids(db.session, scope_of(uid), [payroll.id, odd.id, payroll.id],
                             settings=strict)
    assert summary.review + sum(summary.decided.values()) == 2
    # the objects already in the session see the written values without a reload
    assert odd.category_id is None and odd.merchant
    assert db.session.get(CategorySuggestion, odd.id).suggestions
    db.session.expire_all()
    assert odd.merchant and odd.category_source is None
    assert payroll.merchant


def test_categorize_ids_refuses_ids_of_another_user(ctx, settings):
    import pytest

    from finance_app.services.categorization import categorize_ids

    alice, bob = _user("a@example.com"), _user("b@example.com")
    txn = imported(alice, "SHELL OIL 1", "-10.00")
    with pytest.raises(ValueError):
        categorize_ids(db.session, scope_of(bob), [txn.id], settings=settings)
    db.session.expire_all()
    assert txn.category_source is None and not txn.merchant


def test_large_batches_are_written_in_chunks_with_the_same_decisions(ctx, settings, monkeypatch):
    from finance_app.services.categorization import categorize_ids, engine
    from finance_app.services.ledger.version import get_ledger_version

    uid = _user()
    scope = scope_of(uid)
    texts = ["SHELL OIL 57442", "STARBUCKS STORE 0042", "NETFLIX.COM", "KROGER #412",
             "UBER TRIP HELP.UBER.COM", "XQZ 7781 HOLDINGS", "SHELL OIL 99120"]
    small = [imported(uid, t, "-12.00") for t in texts]
    categorize(db.session, scope, small, settings=settings)
    expected = [(t.merchant, t.category_id, t.category_source, t.category_confidence)
                for t in small]
    big = [imported(uid, t, "-12.00") for t in texts]
    before = get_ledger_version(db.session, household_of(uid))
    # chunks of two rows: the pipelined PostgreSQL writer and the chunked model both run
    monkeypatch.setattr(engine, "CHUNK", 2)
    monkeypatch.setattr(engine, "MODEL_CHUNK", 2)
    categorize_ids(db.session, scope, [t.id for t in big], settings=settings)
    db.session.expire_all()
    assert [(t.merchant, t.category_id, t.category_source, t.category_confidence)
            for t in big] == expected
    assert get_ledger_version(db.session, household_of(uid)) != before


def test_decide_new_gives_what_categorize_writes(ctx, settings):
    """Rows not written yet get the same decisions (rules with their tags and merchant, history,
    model, review with top-3) as categorize() writes for the same rows once they exist."""
    from datetime import date
    from decimal import Decimal

    from finance_app.services.categorization import NewTransaction, decide_new

    uid = _user()
    scope = scope_of(uid)
    household = category(uid, "Household")
    first = imported(uid, "AMZN Mktp US*2K4L12", "-23.50")
    txn_service.update_transaction(db.session, scope, first.id, category_id=household.id)
    create_rule(db.session, scope, RuleInput(
        name="Payroll", conditions=[{"field": "description", "op": "contains",
                                     "value": "payroll"}],
        category_id=category(uid, "Income").id, merchant="Globex", tags=["salary", "work"]))
    create_rule(db.session, scope, RuleInput(
        name="Coffee tag", conditions=[{"field": "description", "op": "contains",
                                        "value": "coffee"}], tags=["coffee"]))
    strings = [
        ("ORIG CO NAME:GLOBEX PAYROLL", "2500.00"),       # rule: category, merchant, tags
        ("AMAZON MKTPL*AIDPW5772C1", "-41.00"),           # history
        ("SQ *BLUE BOTTLE COFFEE", "-4.50"),              # model, and a rule's tag only
        ("[credit] ORIG CO NAME:ACME CO ENTRY DESCR:PAYROLL SEC:PPD", "900.00"),
        ("XQZ 7781 HOLDINGS", "-40.00"),                  # review
        ("NETFLIX.COM", "15.49"),                          # money in: review
    ]
    acct = first.account_id
    new = [NewTransaction(text, Decimal(amount), acct, date(2025, 6, 1))
           for text, amount in strings]

    decisions, summary = decide_new(db.session, scope, new, settings=settings)
    assert db.session.scalar(select(func.count()).select_from(Transaction)) == 1  # none written

    written = [imported(uid, text, amount) for text, amount in strings]
    expected = categorize(db.session, scope, written, settings=settings)
    assert summary.decided == expected.decided and summary.review == expected.review
    assert summary.decided.get("rule") == 2 and summary.decided.get("history") == 1
    assert summary.review >= 2
    queued = {s.transaction_id: s.suggestions for s in db.session.scalars(
        select(CategorySuggestion).where(CategorySuggestion.household_id == household_of(uid)))}
    for decision, txn in zip(decisions, written, strict=True):
        assert (decision.merchant, decision.category_id, decision.category_source,
                decision.category_confidence) == (txn.merchant, txn.category_id,
                                                  txn.category_source, txn.category_confidence)
        assert decision.suggestions == queued.get(txn.id)
        assert sorted(decision.tags) == sorted(t.name for t in txn.tags)
    assert decisions[0].merchant == "Globex" and set(decisions[0].tags) == {"salary", "work"}
    assert decisions[2].tags == ("coffee",)
