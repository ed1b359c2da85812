"""Anomaly flags persisted once per occurrence, listed for a member, and dismissed ("this is
fine"): a dismissed pattern is remembered and never flagged again."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.ml.anomaly import Finding, category_month_findings, transaction_findings
from finance_app.models.household import Membership
from finance_app.models.ledger import EXPENSE, Category
from finance_app.models.recurring import (
    CANCELLED,
    DISMISSED,
    AnomalyDismissal,
    AnomalyFlag,
    RecurringSeries,
)
from finance_app.models.user import User
from finance_app.services.ledger.periods import MONTH, add_periods, period_start
from finance_app.services.ledger.summary import LedgerView, summarize
from finance_app.services.recurring.history import load_history
from finance_app.services.scope import Scope, household_scope, owned, scoped

# Flags are about what is new: charges of the last weeks, the current and the last month.
WINDOW_DAYS = 45
CATEGORY_YEARS = 4


def household_currency(session: DbSession, household_id: int) -> str:
    """The base currency of the household's first owner (what its figures are shown in)."""
    currency = session.scalar(
        select(User.base_currency).join(Membership, Membership.user_id == User.id)
        .where(Membership.household_id == household_id).order_by(Membership.id).limit(1))
    return currency or "USD"


def find_anomalies(session: DbSession, household_id: int, today: date,
                   window_days: int = WINDOW_DAYS) -> list[Finding]:
    """Everything unusual in the household's recent history (nothing saved)."""
    scope = household_scope(household_id)
    currency = household_currency(session, household_id)
    since = today - timedelta(days=window_days)
    history = load_history(session, scope, end=today)
    series = list(session.scalars(scoped(RecurringSeries, scope)))
    known = {(s.account_id, key) for s in series if s.status not in (DISMISSED, CANCELLED)
             for key in s.keys}
    cancelled = {(s.account_id, key): (s.id, s.cancelled_after or s.last_seen or today)
                 for s in series if s.status == CANCELLED for key in s.keys}
    findings = transaction_findings(history, since, currency, known, cancelled)
    findings += _category_findings(session, scope, currency, today)
    return findings


def _category_findings(session: DbSession, scope: Scope, currency: str, today: date
                       ) -> list[Finding]:
    """Category months from the ledger core's month summary (spending net of refunds)."""
    this_month = period_start(today, MONTH)
    first = add_periods(this_month, MONTH, -12 * CATEGORY_YEARS)
    view = LedgerView(session, scope, currency)
    agg = summarize(view.lines((first, today)), view.rates,
                    lambda line: (line.category_id, line.month) if line.kind == EXPENSE
                    and line.category_id is not None else None)
    spending = {key: -total.amount for key, total in agg.totals.items()}
    names = dict(session.execute(select(Category.id, Category.name).where(
        Category.household_id == scope.household_id)).all())
    last_month = add_periods(this_month, MONTH, -1)
    return category_month_findings(spending, names, [last_month, this_month], currency)


def detect_anomalies(session: DbSession, household_id: int, today: date,
                     window_days: int = WINDOW_DAYS) -> int:
    """Save the new flags (each occurrence once; dismissed patterns never); flushed. Returns
    how many were added."""
    findings = find_anomalies(session, household_id, today, window_days)
    dismissed = set(session.scalars(select(AnomalyDismissal.pattern).where(
        AnomalyDismissal.household_id == household_id)))
    have = set(session.scalars(select(AnomalyFlag.key).where(
        AnomalyFlag.household_id == household_id)))
    added = 0
    for finding in findings:
        if finding.key in have or finding.pattern in dismissed:
            continue
        have.add(finding.key)
        session.add(AnomalyFlag(
            household_id=household_id, transaction_id=finding.transaction_id,
            account_id=finding.account_id, kind=finding.kind, key=finding.key,
            pattern=finding.pattern, reason=finding.reason[:500], day=finding.day,
            score=finding.score))
        added += 1
    session.flush()
    return added


def list_flags(session: DbSession, scope: Scope, limit: int = 100) -> list[AnomalyFlag]:
    """Open flags this member may see (a flag on another member's private account is not)."""
    return list(session.scalars(
        scoped(AnomalyFlag, scope).where(AnomalyFlag.dismissed_at.is_(None))
        .order_by(AnomalyFlag.day.desc(), AnomalyFlag.id.desc()).limit(limit)))


def get_flag(session: DbSession, scope: Scope, flag_id: object) -> AnomalyFlag:
    return owned(session, AnomalyFlag, flag_id, scope)


def dismiss_flag(session: DbSession, scope: Scope, flag_id: object,
                 member_id: int | None = None) -> AnomalyFlag:
    """"This is fine": the flag and every open flag of its pattern go, and the pattern is
    remembered."""
    flag = get_flag(session, scope, flag_id)
    now = utcnow()
    exists = session.scalar(select(AnomalyDismissal.id).where(
        AnomalyDismissal.household_id == scope.household_id,
        AnomalyDismissal.pattern == flag.pattern))
    if exists is None:
        session.add(AnomalyDismissal(household_id=scope.household_id, pattern=flag.pattern,
                                     created_by_id=member_id))
    for same in session.scalars(scoped(AnomalyFlag, scope).where(
            AnomalyFlag.pattern == flag.pattern, AnomalyFlag.dismissed_at.is_(None))):
        same.dismissed_at = now
    session.flush()
    return flag


