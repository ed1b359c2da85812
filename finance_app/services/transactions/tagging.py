"""Tags by name: parse "a, b", find the user's tags case-insensitively, create missing ones."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func

from finance_app.db import DbSession
from finance_app.models.ledger import Tag
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, scoped

MAX_TAG_LENGTH = 60
_SPACES = re.compile(r"\s+")


class TagTooLong(ValidationFailed):
    """Tags can be at most 60 characters long."""


def parse_tag_names(text: str | Iterable[str]) -> list[str]:
    """ "Trip, work ,trip" -> ["Trip", "work"]: trimmed, inner spaces collapsed, first spelling
    kept, duplicates (ignoring case) dropped."""
    parts = text.split(",") if isinstance(text, str) else list(text)
    names: list[str] = []
    seen: set[str] = set()
    for part in parts:
        name = _SPACES.sub(" ", part).strip()
        if not name or name.casefold() in seen:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagTooLong()
        seen.add(name.casefold())
        names.append(name)
    return names


def tags_by_name(session: DbSession, scope: Scope, names: Iterable[str]) -> list[Tag]:
    """The user's tags with these names, created on the fly when missing."""
    wanted = parse_tag_names(list(names))
    if not wanted:
        return []
    folded = [name.lower() for name in wanted]
    existing = {
        tag.name.lower(): tag
        for tag in session.scalars(scoped(Tag, scope).where(func.lower(Tag.name).in_(folded)))
    }
    tags = []
    for name in wanted:
        tag = existing.get(name.lower())
        if tag is None:
            tag = Tag(household_id=scope.household_id, name=name)
            session.add(tag)
            existing[name.lower()] = tag
        tags.append(tag)
    session.flush()
    return tags


def list_tags(session: DbSession, scope: Scope) -> list[Tag]:
    return list(session.scalars(scoped(Tag, scope).order_by(func.lower(Tag.name))))
