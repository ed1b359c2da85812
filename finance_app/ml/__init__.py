"""Transaction categorizer: merchant names, a base model, per-user models and model storage."""

from __future__ import annotations

from finance_app.ml.evaluation import Metrics, evaluate, format_metrics, score_predictions
from finance_app.ml.merchants import merchant_key, normalize_merchant
from finance_app.ml.model import AUTO_THRESHOLD, CATEGORIES, BaseModel, Prediction
from finance_app.ml.storage import (
    clear_model_cache,
    load_base_model,
    load_user_model,
    save_base_model,
    save_user_model,
)
from finance_app.ml.training import (
    LabelledRow,
    read_labelled_csv,
    train_base_model,
    train_shipped_model,
)
from finance_app.ml.user import UserModel, train_user_model

__all__ = [
    "AUTO_THRESHOLD",
    "CATEGORIES",
    "BaseModel",
    "LabelledRow",
    "Metrics",
    "Prediction",
    "UserModel",
    "clear_model_cache",
    "evaluate",
    "format_metrics",
    "load_base_model",
    "load_user_model",
    "merchant_key",
    "normalize_merchant",
    "read_labelled_csv",
    "save_base_model",
    "save_user_model",
    "score_predictions",
    "train_base_model",
    "train_shipped_model",
    "train_user_model",
]
