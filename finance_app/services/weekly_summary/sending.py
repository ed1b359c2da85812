"""Sending weekly summaries exactly once per member and week: claim the week's row (insert and
commit) before sending, so a second run or a racing worker finds it taken and skips; record
each attempt; retry failures with backoff; stop at a bounced address.

The mail itself is composed and sent by the caller's `deliver(user, summary)` (the job, with
Flask-Mail); this module decides who, when and what is recorded, and knows no Flask.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from finance_app.db import DbSession
from finance_app.models.user import User
from finance_app.models.weekly import FAILED, PENDING, SENT, WeeklySummarySend
from finance_app.services.weekly_summary.content import WeeklySummary, build_summary
from finance_app.services.weekly_summary.due import is_reachable, scan_due_members

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=5)
# While an attempt runs, its row is held this long; a row still pending after that lost its
# worker (killed mid-send) and is tried again. Far longer than an SMTP conversation.
ATTEMPT_LEASE = timedelta(minutes=15)

Deliver = Callable[[User, WeeklySummary], None]


class AddressRefused(Exception):
    """The mail server refused the recipient for good (a 5xx answer): the address bounced."""


@dataclass
class SendCounts:
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def line(self) -> str:
        return f"sent={self.sent} skipped={self.skipped} failed={self.failed}"

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "skipped": self.skipped, "failed": self.failed}


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 5, 10, 20, 40 minutes."""
    return RETRY_BASE * 2 ** max(attempts - 1, 0)


def is_permanent_refusal(exc: BaseException) -> bool:
    """An SMTP answer that says this address will never take mail (5xx to RCPT TO)."""
    if isinstance(exc, AddressRefused):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= int(code) < 600 for code in codes)
    return False


def claim_week(session: DbSession, user_id: int, week_start: date, now: datetime) -> int | None:
    """Insert and commit the member's row for the week; its id, or None when another run has
    it already (the unique (user_id, week_start) decides, also between racing workers)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    row_id = session.execute(
        insert(WeeklySummarySend)
        .values(user_id=user_id, week_start=week_start, status=PENDING, attempts=0,
                last_error="", next_attempt_at=now + ATTEMPT_LEASE, created_at=now,
                updated_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "week_start"])
        .returning(WeeklySummarySend.id)
    ).scalar()
    session.commit()
    return None if row_id is None else int(row_id)


def claim_retry(session: DbSession, row_id: int, now: datetime) -> bool:
    """Take a pending row whose retry time has come; False when another run took it first."""
    taken = session.execute(
        update(WeeklySummarySend)
        .where(WeeklySummarySend.id == row_id, WeeklySummarySend.status == PENDING,
               WeeklySummarySend.next_attempt_at <= now)
        .values(next_attempt_at=now + ATTEMPT_LEASE, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(taken.rowcount)  # type: ignore[attr-defined]


def list_retries_due(session: DbSession, now: datetime) -> list[int]:
    """Pending rows of reachable members whose next attempt is due (after a failure, or an
    attempt whose worker died)."""
    return list(session.scalars(
        select(WeeklySummarySend.id).join(User, User.id == WeeklySummarySend.user_id)
        .where(WeeklySummarySend.status == PENDING, WeeklySummarySend.next_attempt_at <= now,
               *is_reachable())
        .order_by(WeeklySummarySend.id)
    ))


def attempt(session: DbSession, row_id: int, now: datetime, deliver: Deliver) -> bool:
    """One attempt at a claimed row: build and deliver the summary, record what happened.
    True when it was sent."""
    row = session.get(WeeklySummarySend, row_id)
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        return False
    if row.attempts >= MAX_ATTEMPTS:  # its last attempt's worker died: give up like a failure
        row.status, row.next_attempt_at = FAILED, None
        row.last_error = row.last_error or "The last attempt stopped before it finished."
        session.commit()
        return False
    # Counted before sending, so attempts whose worker dies count towards MAX_ATTEMPTS too.
    row.attempts += 1
    session.commit()
    try:
        deliver(user, build_summary(session, user, row.week_start, now))
    except Exception as exc:  # any failure is recorded on the row; the run goes on
        session.rollback()
        record_failure(session, row_id, exc, now)
        return False
    row.status, row.sent_at, row.next_attempt_at, row.last_error = SENT, now, None, ""
    session.commit()
    return True


def record_failure(session: DbSession, row_id: int, exc: BaseException, now: datetime) -> None:
    """Note a failed attempt: a bounce fails the row and marks the address; anything else is
    retried with backoff until MAX_ATTEMPTS."""
    row = session.get(WeeklySummarySend, row_id)
    if row is None:
        return
    user = session.get(User, row.user_id)
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_permanent_refusal(exc):
        row.status, row.next_attempt_at = FAILED, None
        if user is not None:
            user.email_bounced_at = now
        log.warning("Weekly summary to user %s bounced: %s", row.user_id, row.last_error)
    elif row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = FAILED, None
        log.error("Weekly summary to user %s failed %s times: %s", row.user_id, row.attempts,
                  row.last_error)
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        log.warning("Weekly summary to user %s failed (attempt %s), retrying at %s: %s",
                    row.user_id, row.attempts, row.next_attempt_at, row.last_error)
    session.commit()


def send_due_summaries(session: DbSession, now: datetime, deliver: Deliver, *,
                       ignore_hour: bool = False,
                       progress: Callable[[int, str], None] | None = None) -> SendCounts:
    """Send every summary due at `now` (naive UTC) and the retries whose time has come.

    `ignore_hour`: everyone reachable who has not had this week's email, whatever their hour.
    Skipped: members due this week whose row another run holds (sent, failed, being sent).
    """
    counts = SendCounts()
    scan = scan_due_members(session, now, ignore_hour=ignore_hour)
    counts.skipped += scan.already_claimed
    retries = list_retries_due(session, now)
    total = len(scan.due) + len(retries)
    done = 0
    for member in scan.due:
        row_id = claim_week(session, member.user_id, member.week_start, now)
        if row_id is None:
            counts.skipped += 1
        elif attempt(session, row_id, now, deliver):
            counts.sent += 1
        else:
            counts.failed += 1
        done += 1
        if progress:
            progress(done * 100 // total, f"{done} of {total} weekly summaries")
    for row_id in retries:
        if not claim_retry(session, row_id, now):
            counts.skipped += 1
        elif attempt(session, row_id, now, deliver):
            counts.sent += 1
        else:
            counts.failed += 1
        done += 1
        if progress:
            progress(done * 100 // total, f"{done} of {total} weekly summaries")
    return counts
