"""The getting-started checklist of the dashboard.

Each step is done when the household's data says so (nothing is ticked by hand), so a partner
who joins a household that is already set up sees it done. It shows until every step is done
or the member dismisses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select

from finance_app.db import DbSession, utcnow
from finance_app.models.budget import Budget
from finance_app.models.goal import Goal
from finance_app.models.ledger import Account, ImportBatch, Transaction
from finance_app.models.user import User
from finance_app.services.categorization.review import count_review
from finance_app.services.imports.drafts import COMPLETED
from finance_app.services.scope import Scope, in_scope


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    hint: str
    endpoint: str  # where the step is done (a url_for endpoint)
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]
    has_accounts: bool
    has_transactions: bool

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)

    @property
    def first_run(self) -> bool:
        """Nothing in the household yet: the dashboard shows the ways in instead of widgets."""
        return not self.has_accounts and not self.has_transactions


def _exists(model: type, scope: Scope, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(*in_scope(model, scope), *where)


def build_checklist(session: DbSession, scope: Scope) -> Checklist:
    """Five EXISTS in one query and one COUNT, each on an index."""
    has_accounts, has_transactions, imported, budgeted, has_goal = (bool(v) for v in (
        session.execute(select(
            _exists(Account, scope), _exists(Transaction, scope),
            # A completed import batch (the web wizard and `flask import-file` both make one);
            # not a scan of the transactions' source, which has no index.
            _exists(ImportBatch, scope, ImportBatch.status == COMPLETED),
            _exists(Budget, scope), _exists(Goal, scope),
        )).one()
    ))
    reviewed = has_transactions and count_review(session, scope) == 0
    steps = (
        Step("account", "Add an account", "Checking, savings, a card or a loan.",
             "accounts.new", has_accounts),
        Step("import", "Import a bank export", "CSV, Excel, OFX/QFX or QIF; years at once.",
             "upload.index", imported),
        Step("review", "Review the categories", "Confirm the few the categorizer asks about.",
             "review.index", reviewed),
        Step("budget", "Create a first budget", "A monthly amount for a category or a group.",
             "budgets.index", budgeted),
        Step("goal", "Set a first goal", "An emergency fund, a trip, a home: what you save for.",
             "goals.new", has_goal),
    )
    return Checklist(steps, has_accounts, has_transactions)


def dismiss_checklist(session: DbSession, user: User) -> None:
    user.onboarding_dismissed_at = utcnow()
