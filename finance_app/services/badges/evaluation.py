"""Awarding badges (the job's work) and each member's badges with their progress (the page's).

Badges are about the household's money, so every member who sees the data behind a badge gets
it; members who see the same accounts in the same currency share one evaluation (a member's
private account counts only for them). An award is one row per (household, member, badge):
inserted with "on conflict do nothing", so re-running, or two jobs at once, never awards twice.
Each new award is announced to its member by an in-app notification.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from finance_app.db import DbSession, utcnow
from finance_app.models.badge import BadgeAward
from finance_app.models.user import User
from finance_app.services.badges.facts import BadgeFacts
from finance_app.services.badges.rules import RULES, BadgeRule, Progress
from finance_app.services.households.membership import list_members
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.notifications import notify
from finance_app.services.scope import Scope, load_scope

NOTIFICATION_KIND = "badge.earned"
BADGES_PATH = "/badges/"
ProgressReporter = Callable[[int, str], None]


@dataclass(frozen=True)
class BadgeStatus:
    """A badge as one member sees it: earned (with its award), or locked with its progress."""

    rule: BadgeRule
    award: BadgeAward | None
    progress: Progress | None  # measured for locked badges (and for all when asked)

    @property
    def is_earned(self) -> bool:
        return self.award is not None


def _viewer_groups(session: DbSession, household_id: int
                   ) -> list[tuple[Scope, str, list[int]]]:
    """(a scope, its base currency, the members it stands for): members who see the same
    accounts in the same currency get the same figures, so they are evaluated once."""
    groups: dict[tuple[frozenset[int], str], tuple[Scope, list[int]]] = {}
    for membership in list_members(session, household_id):
        scope = load_scope(session, household_id, membership.user_id, role=membership.role)
        key = (scope.hidden_account_ids, membership.user.base_currency or "USD")
        if key in groups:
            groups[key][1].append(membership.user_id)
        else:
            groups[key] = (scope, [membership.user_id])
    return [(scope, base, members) for (_, base), (scope, members) in groups.items()]


def _insert_award(session: DbSession, household_id: int, user_id: int, key: str,
                  on: date) -> int | None:
    """The new award's id, or None when the member already had it (now or concurrently)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (insert(BadgeAward)
            .values(household_id=household_id, user_id=user_id, key=key, awarded_on=on,
                    created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["household_id", "user_id", "key"])
            .returning(BadgeAward.id))
    return session.execute(stmt).scalar()


def award_badges(session: DbSession, household_id: int, today: date,
                 report: ProgressReporter | None = None,
                 cache: LedgerCache | None = None) -> list[BadgeAward]:
    """Award every badge the household's data now meets to the members it applies to; returns
    the awards made by this call (none on a re-run). Flushes; the caller commits."""
    held = {(user_id, key) for user_id, key in session.execute(
        select(BadgeAward.user_id, BadgeAward.key)
        .where(BadgeAward.household_id == household_id))}
    groups = _viewer_groups(session, household_id)
    new_ids: list[int] = []
    steps = max(len(groups) * len(RULES), 1)
    done = 0
    for scope, base, members in groups:
        facts = BadgeFacts(session, scope, base, today, cache)
        for rule in RULES:
            done += 1
            if report is not None:
                report(done * 100 // steps, f"Checking “{rule.title}”")
            missing = [m for m in members if (m, rule.key) not in held]
            if not missing:
                continue  # earned by all: its facts need not even be read
            progress = rule.measure(facts)
            if progress.earned_on is None:
                continue
            on = min(progress.earned_on, today)
            for user_id in missing:
                award_id = _insert_award(session, household_id, user_id, rule.key, on)
                if award_id is not None:
                    new_ids.append(award_id)
                    notify(session, user_id, NOTIFICATION_KIND, f"Badge earned: {rule.title}",
                           rule.description, BADGES_PATH)
    if not new_ids:
        return []
    return list(session.scalars(
        select(BadgeAward).where(BadgeAward.id.in_(new_ids)).order_by(BadgeAward.id)))


def list_awards(session: DbSession, scope: Scope, user_id: int) -> list[BadgeAward]:
    """The member's awards in this household, newest first."""
    return list(session.scalars(
        select(BadgeAward).where(BadgeAward.household_id == scope.household_id,
                                 BadgeAward.user_id == user_id)
        .order_by(BadgeAward.awarded_on.desc(), BadgeAward.id.desc())))


def list_badges(session: DbSession, scope: Scope, user: User, today: date, *,
                measure_earned: bool = False,
                cache: LedgerCache | None = None) -> list[BadgeStatus]:
    """Every badge of the registry for this member: earned ones (newest first), then locked
    ones in registry order with their progress. Earned ones are measured only when asked."""
    assert scope.member_id == user.id
    awards = {a.key: a for a in list_awards(session, scope, user.id)}
    facts = BadgeFacts(session, scope, user.base_currency or "USD", today, cache)
    statuses = []
    for rule in RULES:
        award = awards.get(rule.key)
        progress = rule.measure(facts) if award is None or measure_earned else None
        statuses.append(BadgeStatus(rule, award, progress))
    earned = sorted((s for s in statuses if s.award is not None),
                    key=lambda s: (s.award.awarded_on, s.award.id), reverse=True)  # type: ignore[union-attr]
    return earned + [s for s in statuses if s.award is None]


def newest_award(session: DbSession, scope: Scope, user_id: int
                 ) -> tuple[BadgeRule, BadgeAward] | None:
    """The member's most recently earned badge (for the dashboard; the page's first), or None."""
    from finance_app.services.badges.rules import RULES_BY_KEY

    for award in session.scalars(
        select(BadgeAward).where(BadgeAward.household_id == scope.household_id,
                                 BadgeAward.user_id == user_id)
        .order_by(BadgeAward.awarded_on.desc(), BadgeAward.id.desc()).limit(5)
    ):
        rule = RULES_BY_KEY.get(award.key)
        if rule is not None:  # a badge retired from the registry is simply not shown
            return rule, award
    return None


def count_badges(statuses: list[BadgeStatus]) -> tuple[int, int]:
    """(earned, locked)."""
    earned = sum(1 for s in statuses if s.is_earned)
    return earned, len(statuses) - earned
