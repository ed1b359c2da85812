"""Versioned model files: <dir>/base/<version>.joblib and <dir>/users/<id>/<version>.joblib."""

from __future__ import annotations

import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from finance_app.ml.model import BaseModel
from finance_app.ml.user import UserModel

CURRENT = "current"
_SAFE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_cache: dict[tuple[str, str], BaseModel] = {}
_cache_lock = threading.Lock()


def _joblib() -> Any:
    """joblib, imported when a model file is first read or written (it is slow to import)."""
    import joblib

    return joblib


class ModelNotFoundError(LookupError):
    """No stored model was found."""


def _checked(name: str) -> str:
    if not _SAFE.match(name) or name in (".", ".."):
        raise ValueError(f"unsafe model path component: {name!r}")
    return name


def _write_atomically(path: Path, write: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    os.close(fd)
    try:
        write(tmp)  # type: ignore[operator]
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _set_current(folder: Path, version: str) -> None:
    _write_atomically(folder / CURRENT, lambda tmp: Path(tmp).write_text(version + "\n"))


def _current(folder: Path) -> str:
    try:
        return (folder / CURRENT).read_text().strip()
    except FileNotFoundError as exc:
        raise ModelNotFoundError(f"no current model in {folder}") from exc


def save_base_model(model: BaseModel, model_dir: str | Path, *, make_current: bool = True) -> Path:
    """Store the base model under its version and (by default) point `current` at it."""
    folder = Path(model_dir) / "base"
    path = folder / f"{_checked(model.version)}.joblib"
    _write_atomically(path, lambda tmp: _joblib().dump(model, tmp, compress=3))
    if make_current:
        _set_current(folder, model.version)
    return path


def list_base_versions(model_dir: str | Path) -> list[str]:
    """Stored base model versions, oldest first."""
    return sorted(p.stem for p in (Path(model_dir) / "base").glob("*.joblib"))


def current_base_version(model_dir: str | Path) -> str:
    """The version `current` points at."""
    return _current(Path(model_dir) / "base")


def set_current_base_version(model_dir: str | Path, version: str) -> None:
    """Point `current` at a stored version (roll forward or back)."""
    folder = Path(model_dir) / "base"
    if not (folder / f"{_checked(version)}.joblib").exists():
        raise ModelNotFoundError(f"no base model {version} in {folder}")
    _set_current(folder, version)


def load_base_model(model_dir: str | Path, version: str | None = None) -> BaseModel:
    """The current (or given) base model, read from disk once per process and version."""
    folder = Path(model_dir) / "base"
    version = _checked(version or _current(folder))
    key = (str(Path(model_dir).resolve()), version)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        path = folder / f"{version}.joblib"
        if not path.exists():
            raise ModelNotFoundError(f"no base model {version} in {folder}")
        model = _joblib().load(path)
        _cache[key] = model
        return model


def clear_model_cache() -> None:
    """Forget cached base models (tests, or after deleting files)."""
    with _cache_lock:
        _cache.clear()


def _user_folder(model_dir: str | Path, user_id: int | str) -> Path:
    return Path(model_dir) / "users" / _checked(str(user_id))


def save_user_model(
    model: UserModel, model_dir: str | Path, user_id: int | str, version: str
) -> Path:
    """Store a user's model under a version and point the user's `current` at it."""
    folder = _user_folder(model_dir, user_id)
    model.version = _checked(version)
    path = folder / f"{version}.joblib"
    _write_atomically(path, lambda tmp: _joblib().dump(model, tmp, compress=3))
    _set_current(folder, version)
    return path


def load_user_model(
    model_dir: str | Path, user_id: int | str, base: BaseModel | None = None
) -> UserModel | None:
    """The user's current model attached to `base` (default: current base), or None if none."""
    folder = _user_folder(model_dir, user_id)
    try:
        version = _checked(_current(folder))
    except ModelNotFoundError:
        return None
    model: UserModel = _joblib().load(folder / f"{version}.joblib")
    return model.attach(base or load_base_model(model_dir))
