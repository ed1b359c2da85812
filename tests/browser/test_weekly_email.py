"""The weekly email in chromium: the profile's weekday/hour/figures save through HTMX, and the
email's own unsubscribe link (from a real sent message) works in a browser with no sign-in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.models.user import User
from finance_app.tasks.weekly_summary import send_weekly_summaries

pytestmark = pytest.mark.browser


def test_profile_saves_the_weekly_email_schedule(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    page.goto("/settings/profile")
    page.get_by_label("Weekly email on").select_option("Friday")
    page.get_by_label("at", exact=True).select_option("18:00")
    page.get_by_label("Put figures in the weekly email").check()
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Profile saved.").wait_for()
    with live_server.app.app_context():
        user = db.session.get(User, page.user_id)
        assert (user.weekly_email_weekday, user.weekly_email_hour,
                user.weekly_email_figures) == (4, 18, True)


def test_the_emailed_unsubscribe_link_works_without_signing_in(
        browser_page: Any, live_server: Any, mailbox: Any) -> None:
    from tests.factories import make_user

    with live_server.app.app_context():
        user_id = make_user("reader@example.com").id
        assert send_weekly_summaries(ignore_hour=True)["sent"] == 1
    text = mailbox.to("reader@example.com")[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"Stop these emails: (\S+)", text).group(1)
    assert link.startswith(live_server.url)

    page = browser_page
    page.goto(link)
    page.get_by_role("heading", name="Stop the weekly summary?").wait_for()
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You're unsubscribed").wait_for()
    with live_server.app.app_context():
        assert not db.session.get(User, user_id).notify_weekly_email
