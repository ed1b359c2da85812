"""Goals in chromium: the what-if form moves the projection through HTMX (the URL follows, the
page is not reloaded), and a milestone's confetti fires once, never under reduced motion."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.services.goals import milestones, records
from finance_app.services.goals.projection import add_months
from tests.factories import make_account, scope_of

pytestmark = pytest.mark.browser


def _goal(live_server: Any, user_id: int, saved: str = "0") -> int:
    with live_server.app.app_context():
        scope = scope_of(user_id)
        links = []
        if saved != "0":
            account = make_account(scope, "Savings", type="savings",
                                   opening_balance=Decimal(saved))
            links = [records.LinkInput(account.id)]
        goal = records.create_goal(db.session, scope, records.GoalInput(
            "Trip", Decimal("1200"), "vacation", target_date=add_months(date.today(), 12),
            links=links), date.today())
        milestones.evaluate_milestones(db.session, scope.household_id, date.today())
        db.session.commit()
        return goal.id


def test_what_if_moves_the_projection(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    goal_id = _goal(live_server, page.user_id)
    page.goto(f"/goals/{goal_id}")
    page.evaluate("window.notReloaded = true")
    assert page.locator("#whatif-completion").text_content() == "never"
    page.get_by_label("I save each month").fill("100")
    completion = page.locator("#whatif-completion")
    expected = add_months(date.today(), 12)
    page.wait_for_function(
        "d => document.querySelector('#whatif-completion')?.dataset.date === d",
        arg=expected.isoformat())
    assert "(in 12 months)" in page.locator("#whatif-result").text_content()
    page.get_by_label("I save each month").fill("400")
    page.wait_for_function(
        "d => document.querySelector('#whatif-completion')?.dataset.date === d",
        arg=add_months(date.today(), 3).isoformat())
    assert completion.text_content() == add_months(date.today(), 3).strftime("%b %d, %Y")
    later = date.today() + timedelta(days=800)
    page.get_by_label("and want it by").fill(later.isoformat())
    page.wait_for_function(
        "t => document.querySelector('#whatif-required')?.textContent.includes(t)",
        arg=later.strftime("%b %d, %Y"))
    assert page.evaluate("window.notReloaded") is True
    assert "monthly=400" in page.url
    # The pushed URL is a full page of its own.
    page.reload()
    assert page.locator("#whatif-completion").get_attribute("data-date") == \
        add_months(date.today(), 3).isoformat()


def test_confetti_fires_once(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    _goal(live_server, page.user_id, saved="700")
    page.goto("/goals/")
    assert "50% of the way there" in page.locator("#goal-celebration").text_content()
    page.wait_for_function("document.documentElement.dataset.goalConfetti === 'fired'")
    page.goto("/goals/")
    assert page.locator("#goal-celebration").count() == 0


def test_no_confetti_under_reduced_motion(signed_in_page: Any, live_server: Any) -> None:
    page = signed_in_page
    page.emulate_media(reduced_motion="reduce")
    _goal(live_server, page.user_id, saved="700")
    page.goto("/goals/")
    assert page.locator("#goal-celebration").is_visible()
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.dataset.goalConfetti") is None
    assert page.locator("canvas.goal-confetti").count() == 0
