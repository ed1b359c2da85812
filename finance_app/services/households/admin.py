"""Site administration: the people using the site and the health of the job queues.

A site admin sees users and queues, never a household's money: nothing here reads a ledger
table, and the admin's own data views go through the same Scope as anyone else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from finance_app.db import DbSession, utcnow
from finance_app.models.household import Membership
from finance_app.models.job import FAILED, QUEUED, RUNNING, Job
from finance_app.models.user import User, UserSession
from finance_app.queues import ALL_QUEUES
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.identity import audit

USER_DISABLED = "account.disabled"
USER_ENABLED = "account.enabled"
MADE_ADMIN = "account.made_admin"
audit.LABELS.update({USER_DISABLED: "Account disabled by a site admin",
                     USER_ENABLED: "Account enabled by a site admin",
                     MADE_ADMIN: "Made a site admin"})


class NotSiteAdmin(DomainError):
    """Only site administrators can do that."""


class CannotDisableYourself(DomainError):
    """You cannot disable your own account."""


@dataclass(frozen=True)
class UserRow:
    user: User
    last_seen: datetime | None
    households: int


@dataclass(frozen=True)
class QueueHealth:
    name: str
    queued: int
    running: int
    failed: int
    workers: int | None  # None: no Redis, jobs run in-process


def list_users(session: DbSession) -> list[UserRow]:
    last_seen = (select(UserSession.user_id, func.max(UserSession.last_seen_at).label("seen"))
                 .group_by(UserSession.user_id).subquery())
    households = (select(Membership.user_id, func.count().label("n"))
                  .group_by(Membership.user_id).subquery())
    rows = session.execute(
        select(User, last_seen.c.seen, households.c.n)
        .outerjoin(last_seen, last_seen.c.user_id == User.id)
        .outerjoin(households, households.c.user_id == User.id)
        .order_by(User.created_at.desc(), User.id.desc())
    ).all()
    return [UserRow(user, seen, int(n or 0)) for user, seen, n in rows]


def set_disabled(session: DbSession, admin: User, user_id: object, disabled: bool,
                 client: audit.ClientInfo | None = None) -> User:
    """Disable (sessions end at once, sign-in refused) or enable a user."""
    if not admin.is_site_admin:
        raise NotSiteAdmin()
    try:
        user = session.get(User, int(str(user_id)))
    except ValueError as exc:
        raise NotFound() from exc
    if user is None:
        raise NotFound()
    if user.id == admin.id and disabled:
        raise CannotDisableYourself()
    user.disabled_at = utcnow() if disabled else None
    if disabled:
        session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                  UserSession.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    audit.record(session, user.id, USER_DISABLED if disabled else USER_ENABLED, client,
                 by=admin.email)
    return user


def make_admin(session: DbSession, email: str) -> User:
    from finance_app.services.identity.users import get_user_by_email

    user = get_user_by_email(session, email.strip())
    if user is None:
        raise NotFound(f"No user with the email {email}.")
    if not user.is_site_admin:
        user.is_site_admin = True
        audit.record(session, user.id, MADE_ADMIN)
    return user


def queue_health(session: DbSession, redis: Any | None) -> list[QueueHealth]:
    """Queued, running and failed jobs per RQ queue (and workers); without Redis, the job rows."""
    if redis is not None:
        from rq import Queue, Worker

        seen = {q.name for q in Queue.all(connection=redis)}
        names = [*ALL_QUEUES, *sorted(seen - set(ALL_QUEUES))]
        workers = Worker.all(connection=redis)
        out = []
        for name in names:
            queue = Queue(name, connection=redis)
            out.append(QueueHealth(
                name, queued=queue.count, running=queue.started_job_registry.count,
                failed=queue.failed_job_registry.count,
                workers=sum(1 for w in workers if name in w.queue_names())))
        return out
    counts = dict(session.execute(
        select(Job.status, func.count()).where(Job.status.in_((QUEUED, RUNNING, FAILED)))
        .group_by(Job.status)).all())
    return [QueueHealth("in-process", queued=int(counts.get(QUEUED, 0)),
                        running=int(counts.get(RUNNING, 0)), failed=int(counts.get(FAILED, 0)),
                        workers=None)]
