"""The household's recommendations as stored rows: refreshed by a job, read by the pages,
dismissed by a member. A dismissed recommendation stays dismissed when the job finds it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from finance_app.db import DbSession, utcnow
from finance_app.models.insight import Insight
from finance_app.services.insights.recommendations import find_recommendations
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.scope import Scope, owned, scoped


@dataclass(frozen=True, slots=True)
class Refreshed:
    added: int
    updated: int
    removed: int


def refresh_insights(session: DbSession, scope: Scope, base_currency: str, today: date,
                     cache: LedgerCache | None = None) -> Refreshed:
    """Store what the ledger supports today: new ones added, known ones updated (a dismissal
    kept), ones the ledger no longer supports removed unless dismissed (so they stay so)."""
    found = {r.key: r for r in find_recommendations(session, scope, base_currency, today, cache)}
    existing = {i.key: i for i in session.scalars(scoped(Insight, scope))}
    added = updated = 0
    now = utcnow()
    for key, r in found.items():
        row = existing.get(key)
        if row is None:
            row = Insight(household_id=scope.household_id, key=key)
            session.add(row)
            added += 1
        else:
            updated += 1
        row.kind, row.title, row.detail = r.kind, r.title, r.detail
        row.amount, row.currency, row.rank = r.amount, base_currency, r.rank
        row.link_args, row.generated_at = dict(r.link_args), now
    stale = [i.id for key, i in existing.items() if key not in found and i.dismissed_at is None]
    if stale:
        session.execute(delete(Insight).where(Insight.id.in_(stale)))
    session.flush()
    return Refreshed(added, updated, len(stale))


def list_insights(session: DbSession, scope: Scope, limit: int | None = None) -> list[Insight]:
    """Recommendations not dismissed, best first."""
    query = scoped(Insight, scope).where(Insight.dismissed_at.is_(None)).order_by(
        Insight.rank.desc(), Insight.key)
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_dismissed(session: DbSession, scope: Scope) -> int:
    return len(session.scalars(scoped(Insight, scope).where(
        Insight.dismissed_at.is_not(None))).all())


def dismiss_insight(session: DbSession, scope: Scope, insight_id: object) -> Insight:
    insight = owned(session, Insight, insight_id, scope)
    if insight.dismissed_at is None:
        insight.dismissed_at = utcnow()
        insight.dismissed_by_id = scope.member_id
    session.flush()
    return insight


def latest_refresh(session: DbSession, scope: Scope) -> object:
    return session.scalar(select(Insight.generated_at).where(
        Insight.household_id == scope.household_id).order_by(Insight.generated_at.desc()))
