"""Categories: the default tree every user starts with, and adding, renaming, merging, deleting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, select, update

from finance_app.db import Base, DbSession
from finance_app.models.ledger import (
    CATEGORY_KINDS,
    EXPENSE,
    INCOME,
    TRANSFER,
    Category,
    SplitLine,
    Transaction,
)
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.scope import Scope, owned, scope_filter, scoped

# The leaf names the ML categorizer predicts; the default tree must contain each of them.
CATEGORIZER_LABELS: tuple[str, ...] = (
    "Groceries", "Restaurants", "Transport", "Utilities", "Rent", "Mortgage", "Shopping",
    "Entertainment", "Health", "Income", "Transfer", "Fees", "Insurance", "Travel", "Education",
    "Personal Care", "Subscriptions",
)  # fmt: skip


@dataclass(frozen=True)
class DefaultGroup:
    name: str
    kind: str
    color: str
    icon: str
    leaves: tuple[tuple[str, str], ...]  # (name, bootstrap icon)


DEFAULT_TREE: tuple[DefaultGroup, ...] = (
    DefaultGroup("Income", INCOME, "#15803d", "cash-coin", (
        ("Salary", "briefcase"), ("Income", "cash-stack"), ("Interest & dividends", "percent"),
    )),
    DefaultGroup("Housing", EXPENSE, "#b45309", "house", (
        ("Rent", "house-door"), ("Mortgage", "house-lock"), ("Home & garden", "tools"),
    )),
    DefaultGroup("Food", EXPENSE, "#c2410c", "basket", (
        ("Groceries", "cart"), ("Restaurants", "cup-hot"),
    )),
    DefaultGroup("Transport", EXPENSE, "#0369a1", "car-front", (
        ("Transport", "bus-front"), ("Fuel", "fuel-pump"),
    )),
    DefaultGroup("Shopping", EXPENSE, "#7c3aed", "bag", (
        ("Shopping", "bag-check"), ("Clothing", "handbag"),
    )),
    DefaultGroup("Health & wellness", EXPENSE, "#db2777", "heart-pulse", (
        ("Health", "capsule"), ("Personal Care", "scissors"),
    )),
    DefaultGroup("Lifestyle", EXPENSE, "#0d9488", "stars", (
        ("Entertainment", "film"), ("Travel", "airplane"), ("Education", "mortarboard"),
        ("Gifts & donations", "gift"),
    )),
    DefaultGroup("Bills & subscriptions", EXPENSE, "#4f46e5", "receipt", (
        ("Utilities", "lightning-charge"), ("Phone & internet", "wifi"),
        ("Subscriptions", "collection-play"), ("Insurance", "shield-check"),
    )),
    DefaultGroup("Financial", EXPENSE, "#475569", "bank2", (
        ("Fees", "exclamation-octagon"), ("Taxes", "building"),
    )),
    DefaultGroup("Transfers", TRANSFER, "#64748b", "arrow-left-right", (
        ("Transfer", "arrow-left-right"), ("Credit card payment", "credit-card"),
    )),
)  # fmt: skip

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_ICON = re.compile(r"^[a-z0-9-]{1,40}$")


class DuplicateCategory(ValidationFailed):
    """There is already a category with that name here."""


class GroupNotEmpty(DomainError):
    """Move or delete this group's categories first."""


class InvalidMerge(DomainError):
    """Pick two different categories to merge."""


def create_default_categories(session: DbSession, scope: Scope) -> int:
    """Create the default tree, skipping what already exists; returns how many rows were added."""
    existing = {
        (c.parent_id, c.name): c for c in session.scalars(scoped(Category, scope))
    }
    added = 0
    for position, spec in enumerate(DEFAULT_TREE):
        group = existing.get((None, spec.name))
        if group is None:
            group = Category(
                household_id=scope.household_id, name=spec.name, kind=spec.kind, color=spec.color,
                icon=spec.icon, position=position,
            )
            session.add(group)
            session.flush()
            added += 1
        for leaf_position, (name, icon) in enumerate(spec.leaves):
            if (group.id, name) in existing:
                continue
            session.add(Category(
                household_id=scope.household_id, parent_id=group.id, name=name, kind=spec.kind,
                color=spec.color, icon=icon, position=leaf_position,
            ))
            added += 1
    session.flush()
    return added


def list_tree(session: DbSession, scope: Scope) -> list[tuple[Category, list[Category]]]:
    """Groups in order, each with its categories in order."""
    rows = session.scalars(
        scoped(Category, scope).order_by(Category.position, Category.name)
    ).all()
    children: dict[int, list[Category]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    return [(row, children.get(row.id, [])) for row in rows if row.parent_id is None]


def list_leaves(session: DbSession, scope: Scope) -> list[Category]:
    """Every assignable category (the leaves), ordered by group then position."""
    return [leaf for _, leaves in list_tree(session, scope) for leaf in leaves]


def get_category_by_name(session: DbSession, scope: Scope, name: str) -> Category | None:
    """The user's leaf category called `name` (case-insensitive); a group only if no leaf is."""
    rows = session.scalars(
        scoped(Category, scope)
        .where(func.lower(Category.name) == name.strip().lower())
        .order_by(Category.parent_id.is_(None), Category.id)
    ).all()
    return rows[0] if rows else None


def count_usage(session: DbSession, scope: Scope) -> dict[int, int]:
    """Transactions plus split lines per category id, in two grouped queries."""
    counts: dict[int, int] = {}
    txn_rows = session.execute(
        select(Transaction.category_id, func.count())
        .where(scope_filter(Transaction, scope), Transaction.category_id.is_not(None))
        .group_by(Transaction.category_id)
    )
    split_rows = session.execute(
        select(SplitLine.category_id, func.count())
        .join(Transaction, Transaction.id == SplitLine.transaction_id)
        .where(scope_filter(Transaction, scope), SplitLine.category_id.is_not(None))
        .group_by(SplitLine.category_id)
    )
    for category_id, count in [*txn_rows, *split_rows]:
        counts[category_id] = counts.get(category_id, 0) + count
    return counts


def _clean(name: str, color: str | None, icon: str | None, kind: str | None) -> None:
    if not name.strip() or len(name.strip()) > 80:
        raise ValidationFailed("A category needs a name of at most 80 characters.")
    if color is not None and not _COLOR.match(color):
        raise ValidationFailed("Colours are written like #4f46e5.")
    if icon is not None and not _ICON.match(icon):
        raise ValidationFailed("Icons are Bootstrap icon names such as 'cart'.")
    if kind is not None and kind not in CATEGORY_KINDS:
        raise ValidationFailed("A category is income, expense or transfer.")


def _check_unique(
    session: DbSession, scope: Scope, parent_id: int | None, name: str,
    exclude_id: int | None = None,
) -> None:
    query = scoped(Category, scope).where(
        func.lower(Category.name) == name.lower(),
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id,
    )
    if exclude_id is not None:
        query = query.where(Category.id != exclude_id)
    if session.scalars(query).first() is not None:
        raise DuplicateCategory()


def create_category(
    session: DbSession, scope: Scope, name: str, *, parent_id: int | None = None,
    kind: str | None = None, color: str | None = None, icon: str | None = None,
) -> Category:
    """A new group (no parent) or category in group `parent_id`; kind defaults to the group's."""
    name = name.strip()
    _clean(name, color, icon, kind)
    parent = None
    if parent_id is not None:
        parent = owned(session, Category, parent_id, scope)
        if not parent.is_group:
            raise ValidationFailed("Categories can only be added to a group.")
    _check_unique(session, scope, parent_id, name)
    siblings = scoped(Category, scope).where(
        Category.parent_id.is_(None) if parent_id is None else Category.parent_id == parent_id
    )
    position = len(session.scalars(siblings).all())
    category = Category(
        household_id=scope.household_id, parent_id=parent_id, name=name,
        kind=kind or (parent.kind if parent else EXPENSE),
        color=color or (parent.color if parent else "#6b7280"),
        icon=icon or (parent.icon if parent else "tag"),
        position=position,
    )
    session.add(category)
    session.flush()
    return category


def update_category(
    session: DbSession, scope: Scope, category_id: int, *, name: str | None = None,
    color: str | None = None, icon: str | None = None, kind: str | None = None,
    parent_id: int | None = None,
) -> Category:
    """Rename, recolour, change the icon or kind, or move a category to another group."""
    category = owned(session, Category, category_id, scope)
    new_name = category.name if name is None else name.strip()
    _clean(new_name, color, icon, kind)
    new_parent = category.parent_id
    if parent_id is not None and not category.is_group and parent_id != category.parent_id:
        target = owned(session, Category, parent_id, scope)
        if not target.is_group:
            raise ValidationFailed("Categories can only be moved into a group.")
        new_parent = target.id
    if new_name.lower() != category.name.lower() or new_parent != category.parent_id:
        _check_unique(session, scope, new_parent, new_name, exclude_id=category.id)
    category.name = new_name
    category.parent_id = new_parent
    if color is not None:
        category.color = color
    if icon is not None:
        category.icon = icon
    if kind is not None:
        category.kind = kind
    session.flush()
    return category


def _referencing_columns() -> list[tuple[type, str, bool]]:
    """(model, attribute, nullable) for every foreign key to categories.id but the tree's own.

    Found from the mappers so that features added later (budgets, rules...) are re-pointed too.
    """
    found = []
    for mapper in Base.registry.mappers:
        table = cast(Table, mapper.local_table)
        if table.name == Category.__tablename__:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == Category.__tablename__:
                attr = next(
                    (p.key for p in mapper.column_attrs if fk.parent in p.columns), None
                )
                if attr is not None:
                    found.append((mapper.class_, attr, bool(fk.parent.nullable)))
    return sorted(found, key=lambda item: (item[0].__name__, item[1]))


def _repoint(session: DbSession, source_id: int, target_id: int | None) -> int:
    """Move every reference from `source_id` to `target_id`; returns transactions moved.

    ORM-enabled bulk updates, so session hooks (ledger version bumps) see them.
    """
    moved = 0
    for model, attr, nullable in _referencing_columns():
        if target_id is None and not nullable:
            continue  # left to the foreign key's ON DELETE rule
        column = getattr(model, attr)
        result = session.execute(
            update(model).where(column == source_id).values({attr: target_id})
            .execution_options(synchronize_session=False)
        )
        if model is Transaction:
            moved += result.rowcount or 0  # type: ignore[attr-defined]
    session.expire_all()  # loaded rows still hold the old category ids
    return moved


def merge_categories(session: DbSession, scope: Scope, source_id: int, target_id: int) -> int:
    """Fold `source` into `target`: every reference moves, then `source` goes. Returns moved count.

    Runs in the caller's transaction, so either everything moves or nothing does.
    """
    source = owned(session, Category, source_id, scope)
    target = owned(session, Category, target_id, scope)
    if source.id == target.id or source.is_group or target.is_group:
        raise InvalidMerge()
    moved = _repoint(session, source.id, target.id)
    session.delete(source)
    session.flush()
    return moved


def delete_category(
    session: DbSession, scope: Scope, category_id: int, reassign_to: int | None = None
) -> int:
    """Delete a category, moving its transactions to `reassign_to` (or leaving them uncategorized).

    A group can only be deleted once it has no categories. Returns the transactions moved.
    """
    category = owned(session, Category, category_id, scope)
    if category.is_group:
        children = session.scalars(
            scoped(Category, scope).where(Category.parent_id == category.id)
        ).first()
        if children is not None:
            raise GroupNotEmpty()
        session.delete(category)
        session.flush()
        return 0
    target_id = None
    if reassign_to is not None:
        target = owned(session, Category, reassign_to, scope)
        if target.is_group or target.id == category.id:
            raise InvalidMerge("Move the transactions to another category, not a group.")
        target_id = target.id
    moved = _repoint(session, category.id, target_id)
    session.delete(category)
    session.flush()
    return moved
