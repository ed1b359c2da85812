"""`flask reports weekly [--now]`: sends what is due and ends with `sent=N skipped=N failed=N`."""

from __future__ import annotations

from datetime import UTC, datetime

from finance_app.extensions import db
from tests.factories import make_user


def test_weekly_now_sends_everyone_due_this_week_once(app, mailbox):
    with app.app_context():
        for email in ("one@example.com", "two@example.com"):
            user = make_user(email)
            # Sunday 23:00 UTC: not come yet on any other day, so only --now sends.
            user.weekly_email_weekday, user.weekly_email_hour = 6, 23
        make_user("off@example.com").notify_weekly_email = False
        db.session.commit()
    runner = app.test_cli_runner()
    now = datetime.now(UTC)
    if not (now.weekday() == 6 and now.hour == 23):
        result = runner.invoke(args=["reports", "weekly"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1] == "sent=0 skipped=0 failed=0"
        assert mailbox.messages == []

        result = runner.invoke(args=["reports", "weekly", "--now"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[-1] == "sent=2 skipped=0 failed=0"
    else:
        runner.invoke(args=["reports", "weekly"])
    assert sorted(str(m["To"]) for m in mailbox.messages) == ["one@example.com",
                                                              "two@example.com"]

    again = runner.invoke(args=["reports", "weekly", "--now"])
    assert again.output.splitlines()[-1] == "sent=0 skipped=2 failed=0"
    assert len(mailbox.messages) == 2


def test_the_scheduler_runs_it_every_15_minutes_as_a_recorded_job(app, mailbox):
    from finance_app.models.job import Job
    from finance_app.tasks.periodic import SCHEDULE, run_scheduled

    path, expression = SCHEDULE["weekly_summary_email"]
    assert expression == "*/15 * * * *"
    with app.app_context():
        make_user("sched@example.com").weekly_email_hour = 0  # Monday 00:00: come this week
        db.session.commit()
        result = run_scheduled(path)
        assert result["sent"] == 1 and result["failed"] == 0
        job = db.session.query(Job).filter_by(function=path).one()
        assert job.status == "finished"
    assert [str(m["To"]) for m in mailbox.messages] == ["sched@example.com"]
