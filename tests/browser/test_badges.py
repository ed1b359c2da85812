"""Badges in chromium: "Check now" runs the job and its progress page leads back to the newly
earned badge; a running check's progress widget polls through HTMX until the job ends."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models import Job
from finance_app.models.job import FINISHED, RUNNING
from finance_app.models.ledger import INCOME
from finance_app.services.ledger.periods import MONTH, add_periods
from tests.factories import household_of, make_account, make_category, make_txn

pytestmark = pytest.mark.browser


def test_check_now_earns_a_badge_and_shows_it(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    with live_server.app.app_context():
        checking = make_account(page.user_id, "Main")
        salary = make_category(page.user_id, "Salary", INCOME)
        last_month = add_periods(date.today().replace(day=1), MONTH, -1)
        make_txn(checking, "1000", last_month, "Payroll", category=salary)
        make_txn(checking, "-100", last_month.replace(day=3), "Market",
                 category=make_category(page.user_id, "Food"))
        db.session.commit()
    page.goto("/badges/")
    twenty = page.locator("#badge-savings_rate_20")
    assert "badge-locked" in twenty.get_attribute("class")
    page.get_by_role("button", name="Check now").click()
    page.wait_for_url("**/badges/checking/*")
    page.locator('#job-progress[data-status="finished"]').wait_for()
    page.get_by_role("link", name="See your badges").click()
    page.wait_for_url("**/badges/")
    assert "badge-earned" in page.locator("#badge-savings_rate_20").get_attribute("class")
    assert page.locator("#earned-count").text_content().strip() != "0"
    assert "Earned" in page.locator("#badge-savings_rate_20").text_content()


def test_the_progress_widget_polls_until_the_check_ends(signed_in_page: Any,
                                                        live_server: Any) -> None:
    page = signed_in_page
    job_id = str(uuid.uuid4())
    with live_server.app.app_context():
        db.session.add(Job(id=job_id, user_id=page.user_id,
                           household_id=household_of(page.user_id), name="badges",
                           function="finance_app.tasks.badges.evaluate_badges_job",
                           status=RUNNING, progress=40, message="Checking “Debt-free”",
                           started_at=utcnow()))
        db.session.commit()
    page.goto(f"/badges/checking/{job_id}")
    assert page.locator("#job-progress").get_attribute("data-status") == RUNNING
    assert "Checking “Debt-free”" in page.locator("#job-progress").text_content()
    with live_server.app.app_context():
        job = db.session.get(Job, job_id)
        job.status, job.progress, job.message, job.ended_at = FINISHED, 100, "Done.", utcnow()
        db.session.commit()
    page.locator('#job-progress[data-status="finished"]').wait_for()  # swapped by htmx
    assert page.url.endswith(f"/badges/checking/{job_id}")  # no reload, the widget swapped
    assert page.get_by_role("link", name="See your badges").get_attribute("href") == "/badges/"
