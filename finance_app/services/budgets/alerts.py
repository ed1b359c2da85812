"""Budget threshold alerts: 80 %, 90 % and 100 % fire once per budget and period, however often
the check runs (a unique row per (budget, period start, threshold) is the proof it fired).

Run `check_budget_alerts` after anything that changes spending (imports, syncs, edits) — the job
`finance_app.tasks.budget_alerts.check_budget_alerts_later(household_id)` does it and sends the
emails — and when the budgets page loads. Budgets are the household's: spending is counted over
the accounts every member sees (private accounts stay private), and every member is notified.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from finance_app.db import DbSession, utcnow
from finance_app.models.budget import ALERT_THRESHOLDS, BudgetAlert
from finance_app.money import format_money
from finance_app.services.budgets.budgets import BudgetStatus, compute_statuses
from finance_app.services.households import list_members, shared_scope
from finance_app.services.ledger.periods import user_today
from finance_app.services.notifications import notify

KIND = "budget.threshold"


def crossed_thresholds(status: BudgetStatus) -> list[int]:
    figures = status.current
    if figures.spent <= 0:
        return []
    if figures.available <= 0:
        return list(ALERT_THRESHOLDS)
    return [t for t in ALERT_THRESHOLDS if figures.spent * 100 >= figures.available * t]


def _record(session: DbSession, household_id: int, status: BudgetStatus,
    threshold: int) -> int | None:
    """Insert the alert row unless it exists; the id when this call created it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(BudgetAlert)
        .values(household_id=household_id, budget_id=status.budget_id,
                period_start=status.current.start,
                threshold=threshold, spent=status.current.spent,
                available=status.current.available, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["budget_id", "period_start", "threshold"])
        .returning(BudgetAlert.id)
    )
    return session.execute(stmt).scalar()


def _fired(session: DbSession, household_id: int,
           statuses: list[BudgetStatus]) -> set[tuple[int, date, int]]:
    """Alerts already recorded for these periods, read at once (the page checks often)."""
    if not statuses:
        return set()
    rows = session.execute(
        select(BudgetAlert.budget_id, BudgetAlert.period_start, BudgetAlert.threshold).where(
            BudgetAlert.household_id == household_id,
            BudgetAlert.period_start >= min(s.current.start for s in statuses),
        )
    )
    return {(budget_id, start, threshold) for budget_id, start, threshold in rows}


def _message(status: BudgetStatus, threshold: int, currency: str) -> tuple[str, str]:
    figures = status.current
    if threshold >= 100:
        title = f"{status.category_name}: budget used up"
    else:
        title = f"{status.category_name}: {threshold}% of budget used"
    body = (f"You have spent {format_money(figures.spent, currency)} of "
            f"{format_money(figures.available, currency)} "
            f"({status.period_label.lower()} budget, from {figures.start:%b %d, %Y}).")
    return title, body


def check_budget_alerts(session: DbSession, household_id: int, today: date | None = None,
                        link: str = "/budgets/",
                        statuses: list[BudgetStatus] | None = None) -> list[BudgetAlert]:
    """Record newly crossed thresholds; notify once per budget (the highest newly crossed).

    Returns the alerts that were announced; the caller commits, then sends their emails.
    `statuses` (all budgets over the shared accounts, no account filter, for `today`) saves
    recomputing them. The household's first owner sets the currency and the day.
    """
    members = list_members(session, household_id)
    if not members:
        return []
    user = members[0].user
    today = today or user_today(user.timezone)
    announced: list[BudgetAlert] = []
    if statuses is None:
        statuses = compute_statuses(session, shared_scope(session, household_id),
                                    user.base_currency, today)
    fired = _fired(session, household_id, statuses)
    for status in statuses:
        new = [t for t in crossed_thresholds(status)
               if (status.budget_id, status.current.start, t) not in fired
               and _record(session, household_id, status, t)]
        if not new:
            continue
        threshold = max(new)
        title, body = _message(status, threshold, user.base_currency)
        notes = [notify(session, m.user_id, KIND, title, body, link) for m in members]
        note = notes[0]
        alert = session.scalars(
            select(BudgetAlert).where(
                BudgetAlert.budget_id == status.budget_id,
                BudgetAlert.period_start == status.current.start,
                BudgetAlert.threshold == threshold,
            )
        ).one()
        alert.notification_id = note.id
        announced.append(alert)
    session.flush()
    return announced
