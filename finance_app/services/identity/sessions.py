"""Login sessions: one row per signed-in browser, listed, touched and revoked from here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from finance_app.db import DbSession, utcnow
from finance_app.models.user import User, UserSession
from finance_app.services.identity import audit
from finance_app.services.identity.audit import ClientInfo
from finance_app.services.scope import owned_by_user, scoped_to_user

# Writing last_seen on every request would turn each page view into a write; once a minute is
# plenty for a "last seen" column.
TOUCH_INTERVAL = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: DbSession, user: User, client: ClientInfo | None = None) -> str:
    """Create a login session and return its raw token (kept only in the signed cookie)."""
    client = client or ClientInfo()
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_token(token),
            ip_address=client.ip_address[:64],
            user_agent=client.user_agent[:400],
        )
    )
    user.session_token = token
    audit.record(session, user.id, audit.LOGIN_OK, client)
    return token


def load_user_for_token(session: DbSession, token: str) -> User | None:
    row = session.scalars(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token), UserSession.revoked_at.is_(None)
        )
    ).first()
    if row is None or row.user.disabled_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > TOUCH_INTERVAL:
        row.last_seen_at = now
        session.commit()
    user = row.user
    user.session_token = token
    return user


def current_session_id(session: DbSession, token: str | None) -> int | None:
    if not token:
        return None
    return session.scalar(
        select(UserSession.id).where(UserSession.token_hash == hash_token(token))
    )


def list_active_sessions(session: DbSession, user_id: int) -> list[UserSession]:
    query = scoped_to_user(UserSession, user_id).where(UserSession.revoked_at.is_(None))
    return list(session.scalars(query.order_by(UserSession.last_seen_at.desc())))


def end_session(session: DbSession, token: str | None) -> None:
    if token:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_token(token))
            .values(revoked_at=utcnow())
        )


def revoke_session(
    session: DbSession, user_id: int, session_id: int, client: ClientInfo | None = None
) -> None:
    row = owned_by_user(session, UserSession, session_id, user_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, user_id, audit.SESSION_REVOKED, client, session_id=row.id)


def revoke_all(session: DbSession, user_id: int, except_token: str | None = None) -> int:
    query = update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if except_token:
        query = query.where(UserSession.token_hash != hash_token(except_token))
    result = session.execute(query.values(revoked_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def sign_out_everywhere_else(
    session: DbSession, user_id: int, keep_token: str | None, client: ClientInfo | None = None
) -> int:
    count = revoke_all(session, user_id, except_token=keep_token)
    audit.record(session, user_id, audit.SESSIONS_REVOKED, client, count=count)
    return count
