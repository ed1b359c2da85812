"""Each member's secret iCal feed of upcoming bills: a random token in the URL (only its hash is
stored), regenerated at will (the old link then stops working), read by calendar apps."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.recurring import INCOME, BillFeedToken
from finance_app.money import format_money
from finance_app.services.errors import NotFound
from finance_app.services.recurring.calendar import upcoming_occurrences
from finance_app.services.scope import Scope, load_scope

FEED_DAYS_BACK, FEED_DAYS_AHEAD = 31, 366


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_feed(session: DbSession, scope: Scope) -> bool:
    return session.scalar(select(BillFeedToken.id).where(
        BillFeedToken.user_id == scope.member_id,
        BillFeedToken.household_id == scope.household_id)) is not None


def regenerate_feed_token(session: DbSession, scope: Scope) -> str:
    """A new secret for the member's feed of this household; the old link stops working.
    The token is returned once, to be shown once."""
    token = secrets.token_urlsafe(32)
    row = session.scalar(select(BillFeedToken).where(
        BillFeedToken.user_id == scope.member_id,
        BillFeedToken.household_id == scope.household_id))
    if row is None:
        row = BillFeedToken(user_id=scope.member_id, household_id=scope.household_id)
        session.add(row)
    row.token_hash, row.created_at = _hash(token), utcnow()
    session.flush()
    return token


def revoke_feed(session: DbSession, scope: Scope) -> None:
    row = session.scalar(select(BillFeedToken).where(
        BillFeedToken.user_id == scope.member_id,
        BillFeedToken.household_id == scope.household_id))
    if row is not None:
        session.delete(row)
        session.flush()


def feed_scope(session: DbSession, token: str) -> Scope:
    """What the token's member sees of the household; NotFound for an unknown (or replaced)
    token, or a member who has left."""
    row = session.scalar(select(BillFeedToken).where(BillFeedToken.token_hash == _hash(token)))
    if row is None:
        raise NotFound()
    return load_scope(session, row.household_id, row.user_id)


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def ical_feed(session: DbSession, scope: Scope, today: date, host: str = "ledgerly") -> str:
    """The upcoming bills (and income) as an iCalendar document, one all-day event each."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Ledgerly//Bills//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Bills"]
    start = today - timedelta(days=FEED_DAYS_BACK)
    for o in upcoming_occurrences(session, scope, start, today + timedelta(days=FEED_DAYS_AHEAD),
                                  today):
        s = o.series
        amount = (format_money(abs(o.amount_low), s.currency) + "–"
                  + format_money(abs(o.amount_high), s.currency)) if s.is_varying \
            else format_money(abs(o.expected_amount), s.currency)
        verb = "expected" if s.kind == INCOME else "due"
        lines += [
            "BEGIN:VEVENT",
            f"UID:series-{s.id}-{o.day:%Y%m%d}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{o.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{o.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{s.merchant} {amount} {verb}')}",
            f"DESCRIPTION:{_escape(f'{s.kind_label}, {s.interval_label.lower()}.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


