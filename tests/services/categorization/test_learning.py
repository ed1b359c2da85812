"""Tests for labels, merchant memory, retraining, debounce and isolation between users."""
# ruff: noqa: F811  (pytest fixtures imported from tests.categorization_fixtures)

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.categorization import CategoryCorrection, MerchantMemory, UserModelState
from finance_app.services.categorization import categorize, learning
from finance_app.services.categorization.labels import pop_committed_label_changes
from finance_app.services.categorization.review import list_rule_offers
from finance_app.services.categorization.settings import EngineSettings
from finance_app.services.transactions import bulk
from finance_app.services.transactions import records as txn_service
from tests.categorization_fixtures import (  # noqa: F401
    app_config,
    base_model_dir,
    model_dir,
    settings,
    small_base_model,
)
from tests.factories import category, household_of, imported, make_user, scope_of

GROCERS = ["WHOLE FOODS MARKET 10", "SAFEWAY #1234", "KROGER 0042", "PUBLIX SUPER MARKETS 7",
           "ALDI 7781", "H MART 3219", "SPROUTS FARMERS MARKET 2", "WEGMANS 55"]


def test_a_user_choice_is_one_label_per_transaction_and_feeds_memory(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    household, shopping = category(uid, "Household"), category(uid, "Shopping")
    txn = imported(uid, "AMZN Mktp US*2K4L12")
    txn_service.update_transaction(db.session, scope, txn.id, category_id=household.id)
    txn_service.update_transaction(db.session, scope, txn.id, notes="again")  # no new label
    assert db.session.query(CategoryCorrection).filter_by(
        household_id=household_of(uid)).count() == 1
    other = imported(uid, "AMAZON MKTPL*AIDPW5772C1")
    bulk.recategorize(db.session, scope, [other.id], household.id)
    memory = db.session.query(MerchantMemory).filter_by(household_id=household_of(uid)).one()
    assert (memory.merchant_key, memory.category_id, memory.count) == ("amazon", household.id, 2)
    assert [o.merchant for o in list_rule_offers(db.session, scope)] == ["Amazon"]
    txn_service.update_transaction(db.session, scope, txn.id, category_id=shopping.id)
    assert memory.category_id == shopping.id and memory.count == 1
    assert list_rule_offers(db.session, scope) == []
    txn_service.update_transaction(db.session, scope, txn.id, category_id=None)
    assert db.session.query(CategoryCorrection).filter_by(transaction_id=txn.id).count() == 0


def test_label_changes_are_reported_after_commit_only(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    txn = imported(uid, "AMZN Mktp US*2K4L12")
    txn_service.update_transaction(db.session, scope, txn.id,
                                   category_id=category(uid, "Travel").id)
    assert pop_committed_label_changes(db.session()) == set()
    db.session.rollback()
    db.session.commit()
    assert pop_committed_label_changes(db.session()) == set()
    txn = imported(uid, "AMZN Mktp US*2K4L13")
    txn_service.update_transaction(db.session, scope, txn.id,
                                   category_id=category(uid, "Travel").id)
    db.session.commit()
    assert pop_committed_label_changes(db.session()) == {household_of(uid)}


def _label(uid, raw, name, amount="-60.00"):
    txn = imported(uid, raw, amount)
    txn_service.update_transaction(db.session, scope_of(uid), txn.id,
                                   category_id=category(uid, name).id)
    return txn


def test_retrain_learns_a_renamed_category_for_new_merchants(ctx, settings):
    uid = make_user().id
    scope = scope_of(uid)
    for raw in GROCERS:
        _label(uid, raw, "Food")
    _label(uid, "OVERDRAFT FEE", "Fees", "-35.00")
    new_grocer = imported(uid, "GREEN VALLEY GROCERY MARKET 77", "-45.00")
    categorize(db.session, scope, [new_grocer], settings=settings)
    assert new_grocer.category_id != category(uid, "Food").id
    result = learning.retrain_user(db.session, scope, settings)
    assert result.status == "trained" and result.examples == 9
    state = db.session.get(UserModelState, household_of(uid))
    assert state.version == result.version and state.trained_labels_at == state.labels_changed_at
    folder = Path(settings.model_dir) / "users" / str(household_of(uid))
    assert (folder / f"{result.version}.joblib").exists()
    later = imported(uid, "GREEN VALLEY GROCERY MARKET 78", "-45.00")
    categorize(db.session, scope, [later], settings=EngineSettings(settings.model_dir, 0.5))
    assert later.category_id == category(uid, "Food").id
    assert later.category_source == "model"


def test_one_users_corrections_never_change_anothers_predictions(ctx, settings):
    alice, bob = make_user("a@example.com").id, make_user("b@example.com").id
    probes = ["AMZN Mktp US*9ZZ1Q0", "GREEN VALLEY GROCERY MARKET 77", "SQ *STARBUCKS 1234"]
    _label(bob, "OVERDRAFT FEE", "Fees", "-35.00")
    learning.retrain_user(db.session, scope_of(bob), settings)

    def bob_sees():
        rows = [imported(bob, raw, "-20.00") for raw in probes]
        categorize(db.session, scope_of(bob), rows, settings=settings)
        return [(r.category_id, r.category_source, r.category_confidence) for r in rows]

    before = bob_sees()
    for raw in [*GROCERS, "AMZN Mktp US*2K4L12", "AMAZON MKTPL*AIDPW5772C1"]:
        _label(alice, raw, "Household")
    learning.retrain_user(db.session, scope_of(alice), settings)
    assert bob_sees() == before
    assert category(bob, "Household").id not in {c for c, _, _ in before}


def test_a_model_trained_on_an_older_base_is_not_used(ctx, settings, small_base_model):
    uid = make_user().id
    scope = scope_of(uid)
    _label(uid, "OVERDRAFT FEE", "Fees", "-35.00")
    learning.retrain_user(db.session, scope, settings)
    assert learning.load_predictor(db.session, scope, settings).__class__.__name__ == "UserModel"
    db.session.get(UserModelState, household_of(uid)).base_version = "older"
    fallback = learning.load_predictor(db.session, scope, settings)
    assert fallback.__class__.__name__ == "BaseModel"
    assert fallback.version == small_base_model.version
    assert learning.list_stale_users(db.session, settings,
                                     include_base_change=True) == [household_of(uid)]


def test_retrain_without_base_model_or_labels(ctx, settings, tmp_path):
    uid = make_user().id
    scope = scope_of(uid)
    assert learning.retrain_user(db.session, scope, EngineSettings(str(tmp_path))).status == \
        "no_base_model"
    assert learning.retrain_user(db.session, scope, settings).status == "no_labels"


def test_retrain_claims_are_debounced(ctx, settings):
    uid = make_user().id
    scope = scope_of(uid)
    now = utcnow()
    assert learning.claim_retrain(db.session, scope, settings, now)
    assert not learning.claim_retrain(db.session, scope, settings, now + timedelta(minutes=9))
    assert learning.claim_retrain(db.session, scope, settings, now + timedelta(minutes=10))


def test_stale_users_wait_for_their_debounce_window(ctx, settings):
    uid = make_user().id
    scope = scope_of(uid)
    _label(uid, "OVERDRAFT FEE", "Fees", "-35.00")
    learning.claim_retrain(db.session, scope, settings)
    assert learning.list_stale_users(db.session, settings, include_base_change=False) == []
    later = utcnow() + timedelta(minutes=11)
    assert learning.list_stale_users(db.session, settings, include_base_change=False,
                                     now=later) == [household_of(uid)]
    learning.retrain_user(db.session, scope, settings)
    assert learning.list_stale_users(db.session, settings, include_base_change=True) == []


def test_nightly_job_rebuilds_a_base_model_trained_on_older_features(
    ctx, settings, small_base_model, monkeypatch
):
    from dataclasses import replace

    from finance_app.ml import load_base_model, save_base_model
    from finance_app.ml.features import FEATURES_VERSION
    from finance_app.tasks.categorization import retrain_all_models

    # a base model from an older release: same weights, no features_version in its info
    old = replace(small_base_model, version="20200101T000000-old00000",
                  info={k: v for k, v in small_base_model.info.items() if k != "features_version"})
    save_base_model(old, settings.model_dir)
    assert load_base_model(settings.model_dir).features_outdated
    fresh = replace(small_base_model, version="20991231T000000-new00000")
    monkeypatch.setattr(learning, "train_shipped_model", lambda: fresh)  # seconds, not minutes

    retrain_all_models()

    current = load_base_model(settings.model_dir)
    assert current.version == fresh.version
    assert current.info["features_version"] == FEATURES_VERSION
    assert not current.features_outdated
    # up to date: nothing is rebuilt the next night
    monkeypatch.setattr(learning, "train_shipped_model", lambda: (_ for _ in ()).throw(
        AssertionError("rebuilt an up-to-date base model")))
    retrain_all_models()
    assert load_base_model(settings.model_dir).version == fresh.version
