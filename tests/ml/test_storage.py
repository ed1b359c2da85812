"""Tests for finance_app/ml/storage.py: versioned files, the current pointer and the cache."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from finance_app.ml import storage
from finance_app.ml.model import BaseModel
from finance_app.ml.user import train_user_model


@pytest.fixture(autouse=True)
def _fresh_cache():
    storage.clear_model_cache()
    yield
    storage.clear_model_cache()


def test_versions_and_current_pointer(base_model: BaseModel, tmp_path: Path) -> None:
    first = dataclasses.replace(base_model, version="v1")
    second = dataclasses.replace(base_model, version="v2")
    path = storage.save_base_model(first, tmp_path)
    assert path == tmp_path / "base" / "v1.joblib"
    storage.save_base_model(second, tmp_path)
    assert storage.list_base_versions(tmp_path) == ["v1", "v2"]
    assert storage.current_base_version(tmp_path) == "v2"
    assert storage.load_base_model(tmp_path).version == "v2"
    storage.set_current_base_version(tmp_path, "v1")
    assert storage.load_base_model(tmp_path).version == "v1"
    with pytest.raises(storage.ModelNotFoundError):
        storage.set_current_base_version(tmp_path, "v9")


def test_load_is_cached_per_path_and_version(base_model: BaseModel, tmp_path: Path) -> None:
    storage.save_base_model(dataclasses.replace(base_model, version="v1"), tmp_path)
    loaded = storage.load_base_model(tmp_path)
    assert storage.load_base_model(tmp_path) is loaded
    (tmp_path / "base" / "v1.joblib").unlink()  # served from memory now
    assert storage.load_base_model(tmp_path, "v1") is loaded
    storage.clear_model_cache()
    with pytest.raises(storage.ModelNotFoundError):
        storage.load_base_model(tmp_path)


def test_missing_model_dir(tmp_path: Path) -> None:
    with pytest.raises(storage.ModelNotFoundError):
        storage.load_base_model(tmp_path)
    assert storage.load_user_model(tmp_path, 1) is None


def test_loaded_model_predicts_like_the_original(base_model: BaseModel, tmp_path: Path) -> None:
    storage.save_base_model(base_model, tmp_path)
    texts = ["SQ *BLUE BOTTLE COFFEE", "MONTHLY RENT"]
    assert storage.load_base_model(tmp_path).predict(texts) == base_model.predict(texts)


def test_user_models_are_versioned_per_user(base_model: BaseModel, tmp_path: Path) -> None:
    storage.save_base_model(base_model, tmp_path)
    alice = train_user_model(base_model, [("AMZN Mktp US*2K4L12", -20.0, "Household")])
    bob = train_user_model(base_model, [("AMZN Mktp US*2K4L12", -20.0, "Gifts")])
    storage.save_user_model(alice, tmp_path, 1, "v1")
    storage.save_user_model(bob, tmp_path, 2, "v1")
    assert (tmp_path / "users" / "1" / "v1.joblib").exists()
    loaded_alice = storage.load_user_model(tmp_path, 1)
    loaded_bob = storage.load_user_model(tmp_path, 2)
    assert loaded_alice is not None and loaded_bob is not None
    assert loaded_alice.base is storage.load_base_model(tmp_path)
    assert loaded_alice.predict(["AMAZON.COM*XYZ12345"])[0].category == "Household"
    assert loaded_bob.predict(["AMAZON.COM*XYZ12345"])[0].category == "Gifts"


def test_unsafe_ids_are_refused(base_model: BaseModel, tmp_path: Path) -> None:
    user = train_user_model(base_model, [("X SHOP", -1.0, "A")])
    with pytest.raises(ValueError):
        storage.save_user_model(user, tmp_path, "../evil", "v1")
