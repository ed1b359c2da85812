"""Engine settings (model folder, auto-assign threshold, retrain debounce) of the running app."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.8
DEFAULT_RETRAIN_MINUTES = 10


@dataclass(frozen=True)
class EngineSettings:
    """What the engine needs from configuration; tests and benchmarks build their own."""

    model_dir: str | None
    threshold: float = DEFAULT_THRESHOLD
    retrain_minutes: int = DEFAULT_RETRAIN_MINUTES


def current_settings() -> EngineSettings:
    """MODEL_DIR, CATEGORIZER_THRESHOLD and CATEGORIZER_RETRAIN_MINUTES of the current app.

    The entry point `categorize(session, scope, txns)` is called by every source without
    configuration, so this is the one place the engine reads it: from the app when there is an
    app context (web, jobs, CLI), else from the environment (plain scripts).
    """
    from flask import current_app, has_app_context

    source = current_app.config if has_app_context() else os.environ
    return EngineSettings(
        model_dir=source.get("MODEL_DIR"),
        threshold=float(source.get("CATEGORIZER_THRESHOLD") or DEFAULT_THRESHOLD),
        retrain_minutes=int(source.get("CATEGORIZER_RETRAIN_MINUTES") or DEFAULT_RETRAIN_MINUTES),
    )
