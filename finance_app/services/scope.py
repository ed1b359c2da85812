"""The one path to a user's rows: lookups start from the user, so foreign ids are not found."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from finance_app.services.errors import NotFound

T = TypeVar("T")


def scoped(model: type[T], user_id: int) -> Select[tuple[T]]:
    """`SELECT model WHERE model.user_id = user_id`; build every list query of user data on it."""
    return select(model).where(model.user_id == user_id)  # type: ignore[attr-defined]


def owned(session: Session, model: type[T], object_id: Any, user_id: int) -> T:
    """The user's row with this id, or NotFound (a 404) — also when it belongs to someone else."""
    try:
        key = model.id.type.python_type(object_id)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise NotFound() from exc
    row = session.scalars(scoped(model, user_id).where(model.id == key)).first()  # type: ignore[attr-defined]
    if row is None:
        raise NotFound()
    return row
