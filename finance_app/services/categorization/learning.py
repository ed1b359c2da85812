"""The models behind the engine: load once per process, retrain a user's model from their labels."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from finance_app.db import DbSession, utcnow
from finance_app.ml import (
    BaseModel,
    UserModel,
    load_base_model,
    load_user_model,
    save_base_model,
    save_user_model,
    train_shipped_model,
    train_user_model,
)
from finance_app.ml.storage import ModelNotFoundError
from finance_app.models.categorization import CategoryCorrection, UserModelState
from finance_app.models.ledger import Category
from finance_app.services.categorization.settings import EngineSettings
from finance_app.services.scope import Scope, scope_filter, scoped

log = logging.getLogger(__name__)

# A user's model files kept on disk: the current one and a couple to roll back to.
KEEP_USER_VERSIONS = 3
USER_CACHE_SIZE = 64

_user_cache: OrderedDict[tuple[str, int], UserModel] = OrderedDict()
_user_cache_lock = threading.Lock()

Predictor = BaseModel | UserModel


def load_base(settings: EngineSettings) -> BaseModel | None:
    """The current base model, or None on a fresh install (the engine then skips the model)."""
    if not settings.model_dir:
        return None
    try:
        return load_base_model(settings.model_dir)
    except (ModelNotFoundError, FileNotFoundError):
        return None


def load_predictor(session: DbSession, scope: Scope, settings: EngineSettings) -> Predictor | None:
    """The user's model over the current base (cached per process), the base alone, or None."""
    base = load_base(settings)
    if base is None:
        return None
    state = session.get(UserModelState, scope.household_id)
    if state is None or not state.version or state.base_version != base.version:
        # No model yet, or one trained on another base: its features would not line up.
        return base
    key = (str(Path(settings.model_dir or "").resolve()), scope.household_id)
    with _user_cache_lock:
        cached = _user_cache.get(key)
        if cached is not None and cached.version == state.version and cached.base is base:
            _user_cache.move_to_end(key)
            return cached
    model = load_user_model(settings.model_dir or "", scope.household_id, base)
    if model is None or model.base_version != base.version:
        return base
    with _user_cache_lock:
        _user_cache[key] = model
        _user_cache.move_to_end(key)
        while len(_user_cache) > USER_CACHE_SIZE:
            _user_cache.popitem(last=False)
    return model


def forget_cached_user_models() -> None:
    """Drop cached user models (tests)."""
    with _user_cache_lock:
        _user_cache.clear()


def label_names(session: DbSession, scope: Scope) -> tuple[dict[int, str], dict[str, int]]:
    """Model label of each category and back: the name, or "Group › Name" when names repeat.

    Names, not ids, are the labels, so that a user's "Groceries" and the base model's
    "Groceries" are one class; leaves win over groups of the same name when mapping back.
    """
    categories = list(session.scalars(scoped(Category, scope).order_by(Category.id)))
    by_id = {c.id: c for c in categories}
    counts: dict[str, int] = {}
    for c in categories:
        counts[c.name] = counts.get(c.name, 0) + 1
    to_label: dict[int, str] = {}
    to_id: dict[str, int] = {}
    for c in sorted(categories, key=lambda c: (c.parent_id is None, c.position, c.id)):
        parent = by_id.get(c.parent_id) if c.parent_id else None
        full = f"{parent.name} › {c.name}" if parent else c.name
        to_label[c.id] = c.name if counts[c.name] == 1 else full
        to_id.setdefault(full, c.id)
        to_id.setdefault(c.name, c.id)
    return to_label, to_id


@dataclass(frozen=True)
class RetrainResult:
    household_id: int
    status: str  # "trained", "no_labels", "no_base_model"
    examples: int = 0
    seconds: float = 0.0
    version: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"household_id": self.household_id, "status": self.status,
                "examples": self.examples,
                "seconds": round(self.seconds, 2), "version": self.version}


def training_examples(session: DbSession, scope: Scope) -> list[tuple[str, float | None, str]]:
    """The user's labels as (description, amount, category label), oldest first."""
    to_label, _ = label_names(session, scope)
    rows = session.execute(
        select(CategoryCorrection.description, CategoryCorrection.amount,
               CategoryCorrection.category_id)
        .where(scope_filter(CategoryCorrection, scope))
        .order_by(CategoryCorrection.updated_at, CategoryCorrection.id)
    )
    # float only as a model feature; amounts never flow back from here
    return [(text, float(amount), to_label[cid]) for text, amount, cid in rows
            if cid in to_label]


def retrain_user(
    session: DbSession, scope: Scope, settings: EngineSettings,
    progress: Callable[[int, str], None] | None = None,
) -> RetrainResult:
    """Train the user's model on all their labels over the current base and store it."""
    report = progress or (lambda pct, msg: None)
    state = session.get(UserModelState, scope.household_id)
    if state is None:
        state = UserModelState(household_id=scope.household_id, examples=0)
        session.add(state)
    labels_at = state.labels_changed_at
    base = load_base(settings)
    if base is None:
        return RetrainResult(scope.household_id, "no_base_model")
    report(10, "Reading your categorized transactions…")
    examples = training_examples(session, scope)
    if not examples:
        state.version, state.base_version, state.examples = None, None, 0
        state.trained_at, state.trained_labels_at = utcnow(), labels_at
        return RetrainResult(scope.household_id, "no_labels")
    report(30, f"Learning from {len(examples):,} transactions…")
    started = time.perf_counter()
    model = train_user_model(base, examples)
    version = utcnow().strftime("%Y%m%dT%H%M%S%f") + f"-{len(examples)}"
    save_user_model(model, settings.model_dir or "", scope.household_id, version)
    seconds = time.perf_counter() - started
    _prune_user_versions(Path(settings.model_dir or ""), scope.household_id,
                         keep=version)
    state.version, state.base_version, state.examples = version, base.version, len(examples)
    state.train_seconds, state.trained_at = round(seconds, 3), utcnow()
    state.trained_labels_at = labels_at
    report(95, "Saving your model…")
    return RetrainResult(scope.household_id, "trained", len(examples), seconds, version)


def _prune_user_versions(model_dir: Path, household_id: int, keep: str) -> None:
    folder = model_dir / "users" / str(household_id)
    files = sorted(folder.glob("*.joblib"), key=lambda p: p.name)
    old = [p for p in files if p.stem != keep][: max(0, len(files) - KEEP_USER_VERSIONS)]
    for path in old:
        path.unlink(missing_ok=True)


def claim_retrain(session: DbSession, scope: Scope, settings: EngineSettings,
                  now: datetime | None = None) -> bool:
    """Debounce: True (and the claim recorded) if no retrain was enqueued in the last N minutes."""
    now = now or utcnow()
    state = session.get(UserModelState, scope.household_id)
    if state is None:
        state = UserModelState(household_id=scope.household_id, examples=0)
        session.add(state)
    window = timedelta(minutes=settings.retrain_minutes)
    if state.retrain_enqueued_at is not None and now - state.retrain_enqueued_at < window:
        return False
    state.retrain_enqueued_at = now
    return True


def list_stale_users(session: DbSession, settings: EngineSettings, *, include_base_change: bool,
                     now: datetime | None = None) -> list[int]:
    """Users whose labels changed since their last training (and, nightly, whose base moved)."""
    now = now or utcnow()
    stale = or_(
        UserModelState.trained_labels_at.is_(None),
        UserModelState.labels_changed_at > UserModelState.trained_labels_at,
    )
    conditions = [UserModelState.labels_changed_at.is_not(None)]
    query = select(UserModelState.household_id).where(*conditions)
    if include_base_change:
        base = load_base(settings)
        if base is not None:
            stale = or_(stale, UserModelState.base_version != base.version)
    else:
        # The sweep honours the debounce window that direct requests use.
        cutoff = now - timedelta(minutes=settings.retrain_minutes)
        query = query.where(or_(UserModelState.retrain_enqueued_at.is_(None),
                                UserModelState.retrain_enqueued_at <= cutoff))
    return list(session.scalars(query.where(stale).order_by(UserModelState.household_id)))


def ensure_base_model(
    settings: EngineSettings, *, rebuild_outdated: bool = False
) -> tuple[BaseModel, bool]:
    """The current base model, training it from the shipped labelled set if there is none (or,
    with rebuild_outdated, if it was trained on the text features of an older release)."""
    existing = load_base(settings)
    if existing is not None and not (rebuild_outdated and existing.features_outdated):
        return existing, False
    if not settings.model_dir:
        raise ModelNotFoundError("MODEL_DIR is not configured")
    model = train_shipped_model()
    save_base_model(model, settings.model_dir)
    log.info("trained the base categorizer %s: %s", model.version, model.info)
    return load_base_model(settings.model_dir), True
