"""What the transactions forms offer: the household's accounts (those the member sees),
categories (grouped), tags and members."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func

from finance_app.db import DbSession
from finance_app.models.ledger import Account, Category, Tag
from finance_app.services.scope import Scope, scoped
from finance_app.services.transactions.tagging import list_tags


@dataclass
class CategoryGroup:
    group: Category
    leaves: list[Category]


@dataclass
class Choices:
    accounts: list[Account]
    groups: list[CategoryGroup]
    tags: list[Tag]
    # (filter value, label) of "whose": the member looking first, then the others.
    members: list[tuple[str, str]] = field(default_factory=list)

    def account_options(self) -> list[tuple[int, str]]:
        return [(a.id, a.name + (" (archived)" if a.is_archived else "")) for a in self.accounts]

    def category_options(self, blank: str = "Uncategorized") -> list[tuple[str, str]]:
        """Flat (value, label) pairs: each group, then its leaves indented under it."""
        options = [("", blank)]
        for entry in self.groups:
            options.append((str(entry.group.id), entry.group.name))
            options += [(str(leaf.id), f"{entry.group.name} › {leaf.name}")
                        for leaf in entry.leaves]
        return options

    def currency_of(self, account_id: int) -> str:
        return next((a.currency for a in self.accounts if a.id == account_id), "USD")


def list_choices(session: DbSession, scope: Scope) -> Choices:
    accounts = list(session.scalars(
        scoped(Account, scope).order_by(Account.is_archived, func.lower(Account.name))
    ))
    categories = list(session.scalars(
        scoped(Category, scope).order_by(Category.position, func.lower(Category.name))
    ))
    groups = [CategoryGroup(c, []) for c in categories if c.parent_id is None]
    by_id = {entry.group.id: entry for entry in groups}
    for category in categories:
        if category.parent_id in by_id:
            by_id[category.parent_id].leaves.append(category)
    return Choices(accounts=accounts, groups=groups, tags=list_tags(session, scope),
                   members=member_options(session, scope))


def member_options(session: DbSession, scope: Scope) -> list[tuple[str, str]]:
    """Choices of the "whose" filter; empty for a household of one (nothing to choose)."""
    from finance_app.services.households.membership import list_members

    members = list_members(session, scope.household_id)
    if len(members) < 2:
        return []
    others = [(str(m.user_id), f"{m.user.display_name}'s") for m in members
              if m.user_id != scope.member_id]
    return [("me", "Mine"), *others]
