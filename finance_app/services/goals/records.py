"""Goals of a household: create, edit, delete and list them, their linked accounts and the
contributions recorded by hand, all through the Scope.

Invalid input raises a ValidationFailed naming its field and changes nothing: a target of zero
or less, a target date in the past, a negative set amount, an account that is not the
household's (or not one this member sees), a contribution of zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from finance_app.db import DbSession
from finance_app.models.goal import GOAL_KINDS, Goal, GoalAccount, GoalContribution
from finance_app.models.ledger import LIABILITY_TYPES, Account
from finance_app.money import fits_currency
from finance_app.services.errors import NotFound, ValidationFailed
from finance_app.services.ledger.rates import normalize_code
from finance_app.services.scope import Scope, owned, scoped

# A goal's amounts stay far below what a Money column holds.
MAX_AMOUNT = Decimal("1000000000000")


class InvalidGoal(ValidationFailed):
    """Please correct the goal."""

    def __init__(self, message: str | None = None, field: str = "name") -> None:
        super().__init__(message)
        self.field = field


class DuplicateGoal(InvalidGoal):
    """You already have a goal with that name."""

    def __init__(self) -> None:
        super().__init__(None, "name")


@dataclass(frozen=True)
class LinkInput:
    """An account funding the goal: all of its balance (amount None) or a set amount of it."""

    account_id: int
    amount: Decimal | None = None


@dataclass
class GoalInput:
    """What a person fills in for a goal."""

    name: str
    target_amount: Decimal
    kind: str = "custom"
    currency: str = "USD"
    target_date: date | None = None
    notes: str = ""
    links: list[LinkInput] = field(default_factory=list)


def list_linkable_accounts(session: DbSession, scope: Scope) -> list[Account]:
    """The household's open asset accounts this member sees: what a goal can be funded by."""
    return list(session.scalars(
        scoped(Account, scope).where(Account.type.not_in(LIABILITY_TYPES),
                                     Account.is_archived.is_(False))
        .order_by(Account.name)))


def _check_amount(value: Decimal, currency: str, field_name: str, what: str) -> None:
    if abs(value) >= MAX_AMOUNT:
        raise InvalidGoal(f"{what} is too large.", field_name)
    if not fits_currency(value, currency):
        raise InvalidGoal(f"{what} has more decimals than {currency} allows.", field_name)


def _validate(session: DbSession, scope: Scope, data: GoalInput, goal_id: int | None,
              today: date) -> list[tuple[Account, Decimal | None]]:
    data.name = (data.name or "").strip()
    data.notes = (data.notes or "").strip()
    if not data.name:
        raise InvalidGoal("A goal needs a name.", "name")
    if len(data.name) > 120:
        raise InvalidGoal("A goal's name has at most 120 characters.", "name")
    if data.kind not in GOAL_KINDS:
        raise InvalidGoal("Pick a kind of goal from the list.", "kind")
    if len(data.notes) > 2000:
        raise InvalidGoal("Notes have at most 2,000 characters.", "notes")
    data.currency = normalize_code(data.currency)
    if data.target_amount <= 0:
        raise InvalidGoal("The target must be more than zero.", "target_amount")
    _check_amount(data.target_amount, data.currency, "target_amount", "The target")
    if data.target_date is not None and data.target_date < today:
        raise InvalidGoal("The target date is in the past: pick today or a later day.",
                          "target_date")
    linked: list[tuple[Account, Decimal | None]] = []
    seen: set[int] = set()
    for link in data.links:
        try:
            account = owned(session, Account, link.account_id, scope)
        except NotFound as exc:
            raise InvalidGoal("That account is not one of this household's accounts.",
                              "accounts") from exc
        if account.is_liability:
            raise InvalidGoal(f"{account.name} is a debt: fund a goal from an asset account.",
                              "accounts")
        if account.currency != data.currency:
            raise InvalidGoal(f"{account.name} is in {account.currency}; this goal counts in "
                              f"{data.currency}.", "accounts")
        if link.amount is not None:
            if link.amount <= 0:
                raise InvalidGoal(f"The set amount of {account.name} must be more than zero "
                                  "(leave it empty to count the whole balance).", "accounts")
            _check_amount(link.amount, data.currency, "accounts",
                          f"The set amount of {account.name}")
        if account.id not in seen:
            seen.add(account.id)
            linked.append((account, link.amount))
    query = select(Goal.id).where(Goal.household_id == scope.household_id,
                                  func.lower(Goal.name) == data.name.lower())
    if goal_id is not None:
        query = query.where(Goal.id != goal_id)
    if session.scalars(query).first() is not None:
        raise DuplicateGoal()
    return linked


def _apply(session: DbSession, scope: Scope, goal: Goal, data: GoalInput,
           linked: list[tuple[Account, Decimal | None]]) -> None:
    for name in ("name", "kind", "currency", "target_amount", "target_date", "notes"):
        setattr(goal, name, getattr(data, name))
    wanted = {account.id: amount for account, amount in linked}
    for link in list(goal.links):
        if link.account_id in scope.hidden_account_ids:
            continue  # another member's private account: not this member's to unlink
        if link.account_id not in wanted:
            goal.links.remove(link)
        else:
            link.amount = wanted.pop(link.account_id)
    for account_id, amount in wanted.items():
        goal.links.append(GoalAccount(household_id=scope.household_id, account_id=account_id,
                                      amount=amount))


def create_goal(session: DbSession, scope: Scope, data: GoalInput, today: date) -> Goal:
    linked = _validate(session, scope, data, None, today)
    goal = Goal(household_id=scope.household_id)
    session.add(goal)
    _apply(session, scope, goal, data, linked)
    session.flush()
    return goal


def update_goal(session: DbSession, scope: Scope, goal_id: int, data: GoalInput,
                today: date) -> Goal:
    """Edit a goal. A target date already passed may stay as it was (it is history then)."""
    goal = get_goal(session, scope, goal_id)
    keeps_old_date = data.target_date is not None and data.target_date == goal.target_date
    linked = _validate(session, scope, data, goal.id,
                       min(today, goal.target_date) if keeps_old_date and goal.target_date
                       else today)
    _apply(session, scope, goal, data, linked)
    session.flush()
    return goal


def delete_goal(session: DbSession, scope: Scope, goal_id: int) -> str:
    """Delete a goal with its contributions and milestones; accounts are not touched."""
    goal = get_goal(session, scope, goal_id)
    name = goal.name
    session.delete(goal)
    session.flush()
    return name


def get_goal(session: DbSession, scope: Scope, goal_id: object) -> Goal:
    return owned(session, Goal, goal_id, scope)


def list_goals(session: DbSession, scope: Scope) -> list[Goal]:
    return list(session.scalars(
        scoped(Goal, scope).options(selectinload(Goal.links), selectinload(Goal.contributions))
        .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.name)))


def add_contribution(session: DbSession, scope: Scope, goal_id: int, amount: Decimal,
                     day: date, today: date, note: str = "") -> GoalContribution:
    """Record money put toward the goal by hand (negative: taken back out)."""
    goal = get_goal(session, scope, goal_id)
    if amount == 0:
        raise InvalidGoal("Enter an amount other than zero (negative to take money out).",
                          "amount")
    _check_amount(amount, goal.currency, "amount", "The amount")
    if day > today:
        raise InvalidGoal("A contribution cannot be dated in the future.", "day")
    note = (note or "").strip()
    if len(note) > 200:
        raise InvalidGoal("A note has at most 200 characters.", "note")
    contribution = GoalContribution(household_id=scope.household_id, goal_id=goal.id, day=day,
                                    amount=amount, note=note, created_by=scope.member_id)
    session.add(contribution)
    session.flush()
    session.refresh(goal, ["contributions"])
    return contribution


def delete_contribution(session: DbSession, scope: Scope, goal_id: int,
                        contribution_id: object) -> GoalContribution:
    goal = get_goal(session, scope, goal_id)
    contribution = owned(session, GoalContribution, contribution_id, scope)
    if contribution.goal_id != goal.id:
        raise NotFound()
    session.delete(contribution)
    session.flush()
    return contribution
