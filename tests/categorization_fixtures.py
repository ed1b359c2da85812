"""Shared fixtures of the categorization tests: a small base model trained once per run, an app
whose MODEL_DIR holds it, and helpers to make a user's accounts, categories and transactions."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.ml import BaseModel, read_labelled_csv, save_base_model, train_base_model
from finance_app.ml.training import SHIPPED_TRAINING_CSV
from finance_app.models.ledger import SOURCE_IMPORT, Account, Category, Transaction
from finance_app.services.categorization.learning import forget_cached_user_models
from finance_app.services.categorization.settings import EngineSettings
from finance_app.services.scope import Scope, scoped

PER_CATEGORY = 150


@pytest.fixture(scope="session")
def small_base_model() -> BaseModel:
    """A few thousand shipped rows, the same number per category: trains in a few seconds."""
    rng = random.Random(0)
    by_category: dict[str, list] = {}
    for row in read_labelled_csv(SHIPPED_TRAINING_CSV):
        by_category.setdefault(row.category, []).append(row)
    sample = [r for rows in by_category.values() for r in rng.sample(rows, PER_CATEGORY)]
    return train_base_model(sample, n_features=2**16)


@pytest.fixture(scope="session")
def base_model_dir(small_base_model: BaseModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base-model")
    save_base_model(small_base_model, folder)
    return folder


@pytest.fixture()
def model_dir(base_model_dir: Path, tmp_path: Path) -> Path:
    """A per-test MODEL_DIR with the base model in it (user models written here stay per test)."""
    folder = tmp_path / "models"
    shutil.copytree(base_model_dir, folder)
    forget_cached_user_models()
    return folder


@pytest.fixture()
def app_config(app_config: dict[str, Any], model_dir: Path) -> dict[str, Any]:
    return {**app_config, "MODEL_DIR": str(model_dir)}


@pytest.fixture()
def settings(model_dir: Path) -> EngineSettings:
    return EngineSettings(model_dir=str(model_dir), threshold=0.8, retrain_minutes=10)


def _scope(owner: Any) -> Scope:
    """The Scope of a Scope, or of a user (or user id) in their current household."""
    from tests.conftest import scope_of

    return owner if isinstance(owner, Scope) else scope_of(owner)


def category(owner: Any, name: str) -> Category:
    """The user's (default) leaf category of this name; `owner` is a user, user id or Scope."""
    scope = _scope(owner)
    found = db.session.scalars(
        scoped(Category, scope).where(Category.name == name, Category.parent_id.is_not(None))
    ).first()
    if found is None:
        group = db.session.scalars(scoped(Category, scope).where(
            Category.parent_id.is_(None))).first()
        found = Category(household_id=scope.household_id, name=name,
                         parent_id=group.id if group else None)
        db.session.add(found)
        db.session.flush()
    return found


def account(owner: Any, name: str = "Checking") -> Account:
    scope = _scope(owner)
    found = db.session.scalars(scoped(Account, scope).where(Account.name == name)).first()
    if found is None:
        found = Account(household_id=scope.household_id, owner_id=scope.member_id, name=name,
                        currency="USD")
        db.session.add(found)
        db.session.flush()
    return found


def imported(owner: Any, raw: str, amount: str = "-20.00", acct: Account | None = None,
             **kwargs: Any) -> Transaction:
    """A fresh imported row (no merchant, no category), like the import job creates."""
    from datetime import date

    scope = _scope(owner)
    acct = acct or account(scope)
    kwargs.setdefault("created_by_id", scope.member_id)
    txn = Transaction(household_id=scope.household_id, account_id=acct.id,
                      date=kwargs.pop("on", date(2025, 5, 1)), amount=Decimal(amount),
                      raw_description=raw, source=SOURCE_IMPORT, locked_fields=[], **kwargs)
    db.session.add(txn)
    db.session.flush()
    return txn
