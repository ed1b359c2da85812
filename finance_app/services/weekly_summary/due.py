"""Who is due a weekly summary: opted-in members whose chosen weekday and hour, in their own
time zone, has come this week (their local Monday to Sunday)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import exists, or_, select, tuple_

from finance_app.db import DbSession
from finance_app.models.household import Membership
from finance_app.models.user import User
from finance_app.models.weekly import WeeklySummarySend

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def zone_of(timezone: str | None) -> ZoneInfo:
    """The member's time zone; UTC for a name zoneinfo does not know (the profile form only
    offers known ones, so this is an old or hand-edited value)."""
    try:
        return ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(now: datetime, timezone: str | None) -> datetime:
    """`now` (naive UTC, as the database keeps times) on the member's clock."""
    return now.replace(tzinfo=UTC).astimezone(zone_of(timezone))


def local_week_start(now: datetime, timezone: str | None) -> date:
    """The Monday of the member's current week."""
    today = local_now(now, timezone).date()
    return today - timedelta(days=today.weekday())


def send_time(week_start: date, weekday: int, hour: int, timezone: str | None) -> datetime:
    """When that week's email is due, as naive UTC: the weekday and hour on the member's clock
    (an hour a daylight-saving change skips is read as the hour after it)."""
    day = week_start + timedelta(days=min(max(weekday, 0), 6))
    local = datetime.combine(day, time(min(max(hour, 0), 23)), tzinfo=zone_of(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def summary_week(week_start: date) -> tuple[date, date]:
    """The week an email sent in the week of `week_start` sums up: the full week before it."""
    return week_start - timedelta(days=7), week_start - timedelta(days=1)


@dataclass(frozen=True)
class DueMember:
    user_id: int
    week_start: date
    due_at: datetime


@dataclass(frozen=True)
class DueScan:
    """Members due now, and how many more were due but already have this week's row."""

    due: list[DueMember]
    already_claimed: int


def is_reachable() -> list:
    """SQL conditions: the member wants the email and it can reach them (opted in, not
    disabled, address confirmed, not bounced since it was last confirmed)."""
    return [
        User.notify_weekly_email.is_(True),
        User.disabled_at.is_(None),
        User.email_verified_at.is_not(None),
        or_(User.email_bounced_at.is_(None), User.email_verified_at > User.email_bounced_at),
        exists().where(Membership.user_id == User.id),
    ]


def scan_due_members(session: DbSession, now: datetime, *,
                     ignore_hour: bool = False) -> DueScan:
    """Reachable members whose email for this week is due at `now` (naive UTC) and who have no
    send row for the week yet. `ignore_hour`: everyone reachable who has not had this week's.

    Rows waiting for a retry are not here: `sending.list_retries_due` finds those.
    """
    members = session.execute(
        select(User.id, User.timezone, User.weekly_email_weekday, User.weekly_email_hour)
        .where(*is_reachable()).order_by(User.id)
    ).all()
    candidates = []
    for user_id, timezone, weekday, hour in members:
        week_start = local_week_start(now, timezone)
        due_at = now if ignore_hour else send_time(week_start, weekday, hour, timezone)
        if due_at <= now:
            candidates.append(DueMember(int(user_id), week_start, due_at))
    if not candidates:
        return DueScan([], 0)
    claimed: set[tuple[int, date]] = set()
    # In slices, so a site with many members never sends one huge IN list.
    for offset in range(0, len(candidates), 500):
        keys = [(c.user_id, c.week_start) for c in candidates[offset:offset + 500]]
        claimed.update((int(user_id), week_start) for user_id, week_start in session.execute(
            select(WeeklySummarySend.user_id, WeeklySummarySend.week_start)
            .where(tuple_(WeeklySummarySend.user_id, WeeklySummarySend.week_start).in_(keys))
        ))
    due = [c for c in candidates if (c.user_id, c.week_start) not in claimed]
    return DueScan(due, len(candidates) - len(due))
