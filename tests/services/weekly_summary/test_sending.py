"""Sending weekly summaries through a real (in-process) SMTP server: the right people at the
right local time, exactly once even when two runs race, no figures unless chosen, the
List-Unsubscribe headers, retries with backoff, and a bounce that stops further sends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models.user import User
from finance_app.models.weekly import FAILED, PENDING, SENT, WeeklySummarySend
from finance_app.services.weekly_summary import sending
from finance_app.tasks.weekly_summary import send_weekly_summaries
from tests.conftest import free_port
from tests.factories import make_account, make_category, make_txn, make_user

MONDAY = date(2026, 11, 30)
MONDAY_NOON = datetime(2026, 11, 30, 12, 0)


class RefusingMailbox:
    """An SMTP server's handler that refuses some recipients for good (550) or for now (451)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.deferred: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user here"
        if address in self.deferred:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Controller, RefusingMailbox]]:
    handler = RefusingMailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture()
def outbox(smtp) -> RefusingMailbox:
    handler = smtp[1]
    handler.messages.clear()
    handler.refused.clear()
    handler.deferred.clear()
    return handler


@pytest.fixture()
def app_config(app_config, smtp):
    return {**app_config, "MAIL_PORT": smtp[0].port}


def member(email: str, timezone: str = "UTC", **fields: Any) -> User:
    user = make_user(email)
    user.timezone = timezone
    user.email_verified_at = datetime(2026, 1, 1)  # before the (fixed) times the tests run at
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def run(now: datetime, *, ignore_hour: bool = False) -> dict:
    return send_weekly_summaries(ignore_hour=ignore_hour, now=now.isoformat())


def row_of(user_id: int) -> WeeklySummarySend:
    db.session.expire_all()
    return db.session.scalars(select(WeeklySummarySend).where(
        WeeklySummarySend.user_id == user_id)).one()


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_tokyo_gets_it_at_its_hour_and_new_york_at_its_own(ctx, outbox):
    member("tokyo@example.com", "Asia/Tokyo")
    member("ny@example.com", "America/New_York")
    # 12:00 UTC is 21:00 in Tokyo (past 08:00) and 07:00 in New York (not yet).
    assert run(MONDAY_NOON) == {"sent": 1, "skipped": 0, "failed": 0}
    assert [str(m["To"]) for m in outbox.messages] == ["tokyo@example.com"]
    assert run(datetime(2026, 11, 30, 13, 0)) == {"sent": 1, "skipped": 1, "failed": 0}
    assert [str(m["To"]) for m in outbox.messages] == ["tokyo@example.com", "ny@example.com"]


def test_only_opted_in_reachable_members_get_it(ctx, outbox):
    member("wanted@example.com")
    member("off@example.com", notify_weekly_email=False)
    member("gone@example.com", disabled_at=MONDAY_NOON)
    member("bounced@example.com", email_verified_at=datetime(2026, 1, 1),
           email_bounced_at=datetime(2026, 11, 1))
    assert run(MONDAY_NOON)["sent"] == 1
    assert [str(m["To"]) for m in outbox.messages] == ["wanted@example.com"]


def test_by_default_no_figures_only_the_link_and_the_unsubscribe_headers(ctx, outbox):
    user = member("plain@example.com")
    checking = make_account(user)
    food = make_category(user, "Groceries")
    make_txn(checking, "-1234.56", date(2026, 11, 25), "Grocer", category=food)
    db.session.commit()
    run(MONDAY_NOON)

    (message,) = outbox.to("plain@example.com")
    text, html = parts(message)
    for part in (text, html):
        assert "http://localhost/reports?from=2026-11-23&amp;to=2026-11-29" in part.replace(
            "&to", "&amp;to")
        for figure in ("1,234.56", "1234.56", "Spent", "Groceries", "Budgets at risk"):
            assert figure not in part
        assert "This is your first weekly summary" in part
    assert message["Subject"] == "Your weekly summary for Nov 23 – Nov 29"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://localhost/email/weekly/unsubscribe/")
    assert unsubscribe.strip("<>") in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<script" not in html and "<img" not in html and "<link" not in html
    assert row_of(user.id).status == SENT


def test_figures_when_the_member_chose_them_and_the_second_email_is_not_the_first(ctx, outbox):
    user = member("numbers@example.com", weekly_email_figures=True)
    checking = make_account(user)
    food = make_category(user, "Groceries")
    make_txn(checking, "-1234.56", date(2026, 11, 25), "Grocer", category=food)
    db.session.commit()
    run(MONDAY_NOON)
    text, html = parts(outbox.to("numbers@example.com")[0])
    assert "Spent last week: $1,234.56" in text
    assert "$1,234.56" in html

    run(MONDAY_NOON + timedelta(days=7))
    later_text, _ = parts(outbox.to("numbers@example.com")[1])
    assert "first weekly summary" not in later_text
    assert "Stop these emails:" in later_text


def test_two_racing_runs_send_exactly_one_email(ctx, outbox, monkeypatch):
    """Two threads, each with its own database session: both find the member due before
    either claims the week, then race to claim it; PostgreSQL's unique key picks one."""
    user = member("race@example.com")
    both_scanned = threading.Barrier(2, timeout=20)
    scan = sending.scan_due_members

    def scan_then_wait(*args: Any, **kwargs: Any):
        found = scan(*args, **kwargs)
        both_scanned.wait()
        return found

    monkeypatch.setattr(sending, "scan_due_members", scan_then_wait)
    results: list[dict] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with ctx.app_context():
                results.append(run(MONDAY_NOON))
                db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted((r["sent"], r["skipped"]) for r in results) == [(0, 1), (1, 0)]
    assert len(outbox.to("race@example.com")) == 1
    assert row_of(user.id).attempts == 1


def test_claiming_a_week_twice_gives_it_once(ctx):
    user = member("claim@example.com")
    assert sending.claim_week(db.session, user.id, MONDAY, MONDAY_NOON) is not None
    assert sending.claim_week(db.session, user.id, MONDAY, MONDAY_NOON) is None


def test_a_refusal_for_now_is_retried_with_backoff_and_recorded(ctx, outbox):
    user = member("busy@example.com")
    outbox.deferred.add("busy@example.com")
    assert run(MONDAY_NOON) == {"sent": 0, "skipped": 0, "failed": 1}
    row = row_of(user.id)
    assert (row.status, row.attempts) == (PENDING, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at == MONDAY_NOON + timedelta(minutes=5)
    assert row_of(user.id).sent_at is None

    # Before the retry time nothing is tried; then it is, and it fails again: 10 minutes.
    assert run(MONDAY_NOON + timedelta(minutes=4)) == {"sent": 0, "skipped": 1, "failed": 0}
    second = MONDAY_NOON + timedelta(minutes=5)
    assert run(second)["failed"] == 1
    assert (row_of(user.id).attempts, row_of(user.id).next_attempt_at) == (
        2, second + timedelta(minutes=10))

    outbox.deferred.clear()
    assert run(second + timedelta(minutes=10))["sent"] == 1
    row = row_of(user.id)
    assert (row.status, row.attempts, row.last_error) == (SENT, 3, "")
    assert len(outbox.to("busy@example.com")) == 1
    assert db.session.get(User, user.id).email_bounced_at is None


def test_after_five_failed_attempts_it_gives_up(ctx, outbox):
    user = member("never@example.com")
    outbox.deferred.add("never@example.com")
    now = MONDAY_NOON
    for _ in range(5):
        assert run(now)["failed"] == 1
        now = row_of(user.id).next_attempt_at or now
    row = row_of(user.id)
    assert (row.status, row.attempts, row.next_attempt_at) == (FAILED, 5, None)
    assert run(now + timedelta(hours=6)) == {"sent": 0, "skipped": 1, "failed": 0}
    assert outbox.messages == []


def test_a_bounce_marks_the_address_and_stops_further_sends(ctx, outbox):
    user = member("nobody@example.com")
    outbox.refused.add("nobody@example.com")
    assert run(MONDAY_NOON)["failed"] == 1
    row = row_of(user.id)
    assert (row.status, row.attempts) == (FAILED, 1)
    assert "550" in row.last_error
    bounced = db.session.get(User, user.id)
    assert bounced.email_bounced_at == MONDAY_NOON and bounced.has_bounced_email

    outbox.refused.clear()
    assert run(MONDAY_NOON + timedelta(days=7)) == {"sent": 0, "skipped": 0, "failed": 0}
    assert outbox.messages == []
    # A new address gets it again.
    bounced.email = "somebody@example.com"
    db.session.commit()
    assert run(MONDAY_NOON + timedelta(days=7))["sent"] == 1
    assert len(outbox.to("somebody@example.com")) == 1


def test_money_in_the_email_is_exact(ctx, outbox):
    user = member("cents@example.com", weekly_email_figures=True)
    checking = make_account(user)
    food = make_category(user, "Groceries")
    for amount in ("-0.10", "-0.20"):
        make_txn(checking, amount, date(2026, 11, 24), "Grocer", category=food)
    db.session.commit()
    run(MONDAY_NOON)
    text, _ = parts(outbox.to("cents@example.com")[0])
    assert "Spent last week: $0.30" in text
    assert Decimal("0.10") + Decimal("0.20") == Decimal("0.30")
