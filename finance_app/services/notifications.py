"""In-app notifications: create them (any feature calls `notify`), list, count unread, mark read."""

from __future__ import annotations

from sqlalchemy import func, select, update

from finance_app.db import DbSession, utcnow
from finance_app.models.notification import Notification
from finance_app.services.scope import owned_by_user, scoped_to_user


def notify(session: DbSession, user_id: int, kind: str, title: str, body: str = "",
           link: str = "") -> Notification:
    """Add a notification for `user_id`; `link` is a path inside the app (e.g. "/budgets/")."""
    note = Notification(user_id=user_id, kind=kind, title=title[:200], body=body,
                        link=link[:500] if link.startswith("/") else "")
    session.add(note)
    session.flush()
    return note


def list_notifications(session: DbSession, user_id: int, limit: int = 50) -> list[Notification]:
    stmt = scoped_to_user(Notification, user_id).order_by(Notification.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def count_unread(session: DbSession, user_id: int) -> int:
    stmt = select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )
    return int(session.execute(stmt).scalar() or 0)


def mark_read(session: DbSession, user_id: int, notification_id: object) -> Notification:
    note = owned_by_user(session, Notification, notification_id, user_id)
    if note.read_at is None:
        note.read_at = utcnow()
    return note


def mark_all_read(session: DbSession, user_id: int) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
