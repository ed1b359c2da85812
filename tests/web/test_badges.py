"""Badges pages: earned badges with their date and locked ones with progress, the HTMX block,
"check now" as a job with its progress page, a viewer reading but not posting, the dashboard's
card, and a badge arriving after a file import."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import BadgeAward, Job, Membership, Notification
from finance_app.models.household import VIEWER
from finance_app.models.ledger import EXPENSE, INCOME
from finance_app.services.badges.rules import RULES
from finance_app.services.ledger.periods import MONTH, add_periods
from finance_app.tasks.periodic import SCHEDULE
from tests.factories import household_of, make_account, make_category, make_txn, make_user
from tests.web.test_upload import _account, _batch_id, _mapping_fields, _upload


def _saver(app, user_id, months: int = 2) -> None:
    """Whole months, before this one, with more income than spending: `months` in a row."""
    with app.app_context():
        checking = make_account(user_id, "Main")
        salary = make_category(user_id, "Salary", INCOME)
        food = make_category(user_id, "Food", EXPENSE)
        for n in range(1, months + 1):
            month = add_periods(date.today().replace(day=1), MONTH, -n)
            make_txn(checking, "1000", month, "Payroll", category=salary)
            make_txn(checking, "-400", month + timedelta(days=2), "Market", category=food)
        db.session.commit()


def test_an_empty_household_sees_every_badge_locked(client, user_id):
    page = client.get("/badges/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "No badges yet" in body and f'id="locked-count">{len(RULES)}<' in body
    assert 'id="earned-count">0<' in body
    assert "0 of 3 months" in body and "Import a bank export." in body
    assert 'action="/badges/check"' in body and 'name="csrf_token"' in body


def test_earned_badges_show_their_date_and_locked_ones_their_progress(app, client, user_id):
    _saver(app, user_id, months=2)
    with app.app_context():
        db.session.add(BadgeAward(household_id=household_of(user_id), user_id=user_id,
                                  key="first_budget", awarded_on=date(2026, 3, 9)))
        db.session.commit()
    body = client.get("/badges/").get_data(as_text=True)
    earned = body.split('id="locked-title"')[0]
    assert 'id="badge-first_budget"' in earned and "Earned" in earned
    assert '<time datetime="2026-03-09">Mar 09, 2026</time>' in earned
    steady = re.search(r'id="badge-saved_3_months".*?</li>', body, re.S).group(0)
    assert "2 of 3 months" in steady and 'value="66"' in steady
    assert 'id="earned-count">1<' in body


def test_htmx_gets_the_badge_list_block(client, user_id):
    response = client.get("/badges/", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="badge-list">') and "<html" not in body


def test_check_now_runs_the_job_and_shows_its_progress(app, client, user_id):
    _saver(app, user_id, months=3)
    response = client.post_form("/badges/check", page="/badges/")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.search(r"/badges/checking/[0-9a-f-]{36}$", location)
    progress = client.get(location).get_data(as_text=True)
    assert 'data-status="finished"' in progress and 'href="/badges/"' in progress
    with app.app_context():
        keys = set(db.session.scalars(select(BadgeAward.key).where(
            BadgeAward.user_id == user_id)))
        assert {"saved_3_months", "savings_rate_20"} <= keys
        titles = set(db.session.scalars(select(Notification.title).where(
            Notification.user_id == user_id)))
        assert "Badge earned: Steady saver" in titles
    page = client.get("/badges/").get_data(as_text=True)
    assert 'id="badge-saved_3_months"' in page.split('id="locked-title"')[0]
    again = client.post_form("/badges/check", page="/badges/")
    assert again.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Job.result).where(
            Job.id == again.headers["Location"].rsplit("/", 1)[1]))["awarded"] == 0


def test_a_viewer_reads_the_badges_but_cannot_post(app, client, auth):
    with app.app_context():
        owner = make_user("owner@example.com")
        viewer = make_user("viewer@example.com")
        db.session.add(Membership(household_id=household_of(owner), user_id=viewer.id,
                                  role=VIEWER))
        viewer.current_household_id = household_of(owner)
        db.session.add(BadgeAward(household_id=household_of(owner), user_id=viewer.id,
                                  key="first_rule", awarded_on=date(2026, 2, 2)))
        db.session.commit()
    auth.login("viewer@example.com")
    page = client.get("/badges/").get_data(as_text=True)
    assert 'id="badge-first_rule"' in page and "Check now" not in page
    refused = client.post_form("/badges/check", page="/badges/")
    assert refused.status_code == 403


def test_the_dashboard_shows_the_newest_badge(app, client, user_id):
    with app.app_context():
        account = make_account(user_id)
        make_txn(account, "-5", date.today())
        for key, on in (("first_rule", date(2026, 1, 5)), ("debt_free", date(2026, 4, 1))):
            db.session.add(BadgeAward(household_id=household_of(user_id), user_id=user_id,
                                      key=key, awarded_on=on))
        db.session.commit()
    body = client.get("/dashboard/").get_data(as_text=True)
    card = re.search(r'<aside[^>]*id="newest-badge".*?</aside>', body, re.S).group(0)
    assert "Newest badge: Debt-free" in card and "Apr 01, 2026" in card


def test_the_dashboard_has_no_badge_card_before_the_first_badge(app, client, user_id):
    with app.app_context():
        make_txn(make_account(user_id), "-5", date.today())
        db.session.commit()
    assert 'id="newest-badge"' not in client.get("/dashboard/").get_data(as_text=True)


def test_a_file_import_awards_the_first_import_badge(app, client, user_id):
    account = _account(app, user_id)
    batch_id = _batch_id(_upload(client, account))
    page = client.get(f"/import/{batch_id}/preview").get_data(as_text=True)
    fields = _mapping_fields(page)
    fields["csrf_token"] = client.csrf_token(f"/import/{batch_id}/preview")
    assert client.post(f"/import/{batch_id}/confirm", data=fields).status_code == 303
    with app.app_context():
        award = db.session.scalar(select(BadgeAward).where(BadgeAward.user_id == user_id,
                                                           BadgeAward.key == "first_import"))
        assert award is not None and award.awarded_on == date.today()
        job = db.session.scalar(select(Job).where(Job.name == "badges"))
        assert job.status == "finished" and "first_import" in job.result["keys"]


def test_badges_are_checked_nightly_for_every_household(app):
    from finance_app.tasks.badges import evaluate_all_badges

    assert SCHEDULE["badges_nightly"][0] == "finance_app.tasks.badges.evaluate_all_badges"
    with app.app_context():
        owners = [make_user(f"owner{n}@example.com") for n in range(2)]
        card = make_account(owners[0], "Card", type="credit_card")
        from finance_app.services.debts import records

        records.create_debt(db.session, _scope(owners[0]), records.DebtInput(
            "Card", "credit_card", minimum_payment=Decimal("5"), account_id=card.id))
        db.session.commit()
        assert evaluate_all_badges() == {"households": 2, "awarded": 2}
        assert evaluate_all_badges() == {"households": 2, "awarded": 0}
        assert db.session.scalars(select(BadgeAward.user_id).distinct()).all() == [owners[0].id]


def _scope(user):
    from tests.factories import scope_of

    return scope_of(user)


def test_another_households_check_is_not_found(app, client, auth):
    """The one id-bearing route (also in the isolation sweep, as `job_id`)."""
    auth.create("owner@example.com")
    auth.login("owner@example.com")
    location = client.post_form("/badges/check", page="/badges/").headers["Location"]
    assert client.get(location).status_code == 200
    auth.logout()
    auth.create("intruder@example.com")
    auth.login("intruder@example.com")
    assert client.get(location).status_code == 404
    assert client.get(location, headers={"HX-Request": "true"}).status_code == 404
