"""Who is due a weekly summary, and when: the member's weekday and hour on their own clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.household import EDITOR, Membership
from finance_app.models.weekly import SENT, WeeklySummarySend
from finance_app.services.weekly_summary.due import (
    local_week_start,
    scan_due_members,
    send_time,
    summary_week,
)
from tests.factories import household_of, make_user

MONDAY = date(2026, 11, 30)


def test_send_time_is_the_members_weekday_and_hour_in_their_zone():
    # Monday 08:00 in Tokyo (UTC+9) is Sunday 23:00 UTC; in New York (UTC-5) Monday 13:00 UTC.
    assert send_time(MONDAY, 0, 8, "Asia/Tokyo") == datetime(2026, 11, 29, 23, 0)
    assert send_time(MONDAY, 0, 8, "America/New_York") == datetime(2026, 11, 30, 13, 0)
    assert send_time(MONDAY, 4, 18, "UTC") == datetime(2026, 12, 4, 18, 0)
    # Daylight saving time began on Sunday 8 March 2026 in New York: 08:00 is 12:00 UTC then.
    assert send_time(date(2026, 3, 9), 0, 8, "America/New_York") == datetime(2026, 3, 9, 12, 0)


def test_the_week_is_the_members_local_week():
    sunday_night_utc = datetime(2026, 11, 29, 20, 0)
    assert local_week_start(sunday_night_utc, "Asia/Tokyo") == MONDAY  # Monday 05:00 there
    assert local_week_start(sunday_night_utc, "America/New_York") == MONDAY - timedelta(days=7)
    assert local_week_start(sunday_night_utc, "Not/A_Zone") == MONDAY - timedelta(days=7)
    assert summary_week(MONDAY) == (date(2026, 11, 23), date(2026, 11, 29))


def _member(email: str, timezone: str = "UTC", **fields):
    user = make_user(email)
    user.timezone = timezone
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.commit()
    return user


def test_tokyo_is_due_before_new_york_on_the_same_utc_morning(ctx):
    tokyo = _member("tokyo@example.com", "Asia/Tokyo")
    new_york = _member("ny@example.com", "America/New_York")
    at_noon = scan_due_members(db.session, datetime(2026, 11, 30, 12, 0))
    assert [(m.user_id, m.week_start) for m in at_noon.due] == [(tokyo.id, MONDAY)]
    at_one = scan_due_members(db.session, datetime(2026, 11, 30, 13, 0))
    assert [m.user_id for m in at_one.due] == [tokyo.id, new_york.id]
    # Ignoring the hour: everyone reachable who has not had this week's.
    early = scan_due_members(db.session, datetime(2026, 11, 30, 0, 30), ignore_hour=True)
    assert {m.user_id for m in early.due} == {tokyo.id, new_york.id}


def test_only_reachable_members_of_every_household_are_due(ctx):
    now = datetime(2026, 12, 2, 12, 0)
    wanted = _member("wanted@example.com")
    _member("opted-out@example.com", notify_weekly_email=False)
    _member("bounced@example.com", email_verified_at=now - timedelta(days=30),
            email_bounced_at=now - timedelta(days=3))
    _member("disabled@example.com", disabled_at=now - timedelta(days=1))
    make_user("unconfirmed@example.com", verified=False)
    reconfirmed = _member("reconfirmed@example.com", email_bounced_at=now - timedelta(days=9))
    reconfirmed.email_verified_at = now - timedelta(days=2)
    # A second member of wanted's household, whose own household is another one.
    partner = _member("partner@example.com")
    db.session.add(Membership(household_id=household_of(wanted), user_id=partner.id,
                              role=EDITOR))
    db.session.commit()

    scan = scan_due_members(db.session, now)
    assert {m.user_id for m in scan.due} == {wanted.id, reconfirmed.id, partner.id}
    assert scan.already_claimed == 0


def test_a_member_with_a_row_for_the_week_is_not_due_again(ctx):
    member = _member("once@example.com")
    now = datetime(2026, 11, 30, 9, 0)
    db.session.add(WeeklySummarySend(user_id=member.id, week_start=MONDAY, status=SENT,
                                     sent_at=utcnow()))
    db.session.commit()
    scan = scan_due_members(db.session, now)
    assert scan.due == [] and scan.already_claimed == 1
    # Next week they are due again.
    assert [m.week_start for m in scan_due_members(db.session, now + timedelta(days=7)).due] \
        == [MONDAY + timedelta(days=7)]


def test_a_new_address_clears_the_bounce(ctx):
    member = _member("old@example.com", email_verified_at=datetime(2026, 10, 1),
                     email_bounced_at=datetime(2026, 11, 1))
    assert member.has_bounced_email
    member.email = "new@example.com"
    db.session.commit()
    assert member.email_bounced_at is None and not member.has_bounced_email
