"""Shared fixtures of the categorization tests: a small base model trained once per run, an app
whose MODEL_DIR holds it, and the engine settings pointing at it."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from finance_app.ml import BaseModel, read_labelled_csv, save_base_model, train_base_model
from finance_app.ml.training import SHIPPED_TRAINING_CSV
from finance_app.services.categorization.learning import forget_cached_user_models
from finance_app.services.categorization.settings import EngineSettings

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
