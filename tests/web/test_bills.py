"""Bills pages: the month (calendar and list, full page or its block for HTMX), the series and
their actions (confirm, edit, merge, dismiss, restore, cancel, add by hand), anomalies with
"this is fine", the calendar feed (secret shown once, public .ics, regenerated), and a
viewer's writes refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.ml.schedule import add_months
from finance_app.models import Membership, User
from finance_app.models.household import VIEWER
from finance_app.models.recurring import CANCELLED, CONFIRMED, DISMISSED, RecurringSeries
from finance_app.services.recurring.detection import detect_recurring
from tests.factories import household_of, make_account, make_category, make_txn, scope_of

TODAY = date.today()


def _history(app, user_id) -> dict[str, int]:
    """Netflix on the 3rd and rent on the 1st for the last six months, and a duplicate."""
    with app.app_context():
        checking = make_account(scope_of(user_id), "Checking")
        subscriptions = make_category(scope_of(user_id), "Subscriptions")
        start = add_months(TODAY.replace(day=1), -6)
        for n in range(6):
            month = add_months(start, n)
            make_txn(checking, "-15.49", month.replace(day=3), "Netflix",
                     category=subscriptions)
            make_txn(checking, "-1200.00", month, "Landlord")
        make_txn(checking, "-45.00", TODAY.replace(day=1), "Gadget Hub")
        make_txn(checking, "-45.00", TODAY.replace(day=1), "Gadget Hub")
        detect_recurring(db.session, household_of(user_id), TODAY)
        from finance_app.services.recurring.anomalies import detect_anomalies

        detect_anomalies(db.session, household_of(user_id), TODAY)
        db.session.commit()
        return {s.merchant: s.id for s in db.session.scalars(select(RecurringSeries))}


def test_the_bills_page_shows_the_month_and_the_insights(app, client, user_id):
    _history(app, user_id)
    page = client.get("/bills/").get_data(as_text=True)
    assert 'id="bills-month"' in page and 'class="table table-bordered bills-grid' in page
    assert "Netflix" in page and "Landlord" in page
    assert 'id="yearly-subscriptions">$185.88<' in page  # 12 x 15.49
    next_month = add_months(TODAY.replace(day=1), 1)
    response = client.get(f"/bills/?month={next_month:%Y-%m}", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section id="bills-month"')
    assert "<html" not in fragment
    assert next_month.strftime("%B %Y") in fragment and "Upcoming" in fragment


def test_an_empty_household_gets_a_hint(app, client, user_id):
    page = client.get("/bills/").get_data(as_text=True)
    assert 'id="bills-empty"' in page


def test_series_actions(app, client, user_id):
    ids = _history(app, user_id)
    page = client.get("/bills/series").get_data(as_text=True)
    assert 'id="series-table"' in page
    netflix, landlord = ids["Netflix"], ids["Landlord"]
    assert client.post_form(f"/bills/series/{netflix}/confirm",
                            page="/bills/series").status_code == 303
    assert client.post_form(f"/bills/series/{landlord}/dismiss",
                            page="/bills/series").status_code == 303
    with app.app_context():
        assert db.session.get(RecurringSeries, netflix).status == CONFIRMED
        assert db.session.get(RecurringSeries, landlord).status == DISMISSED
    month = client.get("/bills/").get_data(as_text=True).split('id="bills-month"')[1]
    assert "Landlord" not in month and "Netflix" in month
    client.post_form(f"/bills/series/{landlord}/restore", page="/bills/series")
    client.post_form(f"/bills/series/{netflix}/cancel", page="/bills/series")
    with app.app_context():
        assert db.session.get(RecurringSeries, netflix).status == CANCELLED
    response = client.post_form(f"/bills/series/{landlord}/edit", {
        "merchant": "Rent", "amount": "1250.00", "interval": "monthly", "kind": "bill",
        "next_due": "", "account_id": ""}, page="/bills/series/new")
    assert response.status_code == 303
    with app.app_context():
        rent = db.session.get(RecurringSeries, landlord)
        assert (rent.merchant, rent.expected_amount, rent.is_edited) == (
            "Rent", Decimal("-1250.00"), True)


def test_add_a_bill_by_hand_and_bad_input(app, client, user_id):
    form = {"merchant": "Window cleaner", "amount": "abc", "interval": "quarterly",
            "kind": "bill", "next_due": TODAY.isoformat(), "account_id": ""}
    response = client.post_form("/bills/series/new", form, page="/bills/series/new")
    assert response.status_code == 422
    assert "Enter the amount as a number" in response.get_data(as_text=True)
    response = client.post_form("/bills/series/new", {**form, "amount": "40.00"},
                                page="/bills/series/new")
    assert response.status_code == 303
    with app.app_context():
        added = db.session.scalars(select(RecurringSeries)).one()
        assert (added.merchant, added.expected_amount, added.source) == (
            "Window cleaner", Decimal("-40.00"), "manual")


def test_merge_two_series(app, client, user_id):
    with app.app_context():
        checking = make_account(scope_of(user_id), "Checking")
        start = add_months(TODAY.replace(day=1), -6)
        for n in range(3):
            make_txn(checking, "-7.99", add_months(start, n).replace(day=8), "Hulu")
            make_txn(checking, "-7.99", add_months(start, n + 3).replace(day=8), "Hulu Plus")
        detect_recurring(db.session, household_of(user_id), TODAY)
        db.session.commit()
        ids = {s.merchant: s.id for s in db.session.scalars(select(RecurringSeries))}
    page = client.get(f"/bills/series/{ids['Hulu Plus']}/merge").get_data(as_text=True)
    assert "Hulu (monthly)" in page
    response = client.post_form(f"/bills/series/{ids['Hulu Plus']}/merge",
                                {"other_id": str(ids["Hulu"])}, page="/bills/series")
    assert response.status_code == 303
    with app.app_context():
        assert [s.merchant for s in db.session.scalars(select(RecurringSeries))] == ["Hulu Plus"]


def test_anomalies_page_and_this_is_fine(app, client, user_id):
    _history(app, user_id)
    page = client.get("/bills/anomalies").get_data(as_text=True)
    assert "Possible duplicate" in page and "charged twice?" in page
    with app.app_context():
        from finance_app.models.recurring import AnomalyFlag

        flag_id = db.session.scalars(select(AnomalyFlag.id)).one()
    response = client.post_form(f"/bills/anomalies/{flag_id}/dismiss", page="/bills/anomalies")
    assert response.status_code == 303
    assert "Nothing unusual lately." in client.get("/bills/anomalies").get_data(as_text=True)


def test_the_calendar_feed_is_shown_once_public_and_regenerated(app, client, user_id):
    _history(app, user_id)
    assert "You have no calendar link yet." in client.get("/bills/feed").get_data(as_text=True)
    page = client.post_form("/bills/feed", page="/bills/feed").get_data(as_text=True)
    url = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    path = url.split("localhost", 1)[-1]
    assert path.startswith("/calendar/") and path.endswith(".ics")
    assert "is not shown again" in client.get("/bills/feed").get_data(as_text=True)
    anonymous = app.test_client()
    feed = anonymous.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert "SUMMARY:Netflix $15.49 due" in feed.get_data(as_text=True)
    client.post_form("/bills/feed", page="/bills/feed")  # a new link: the old one is dead
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404


def test_a_viewer_reads_but_cannot_change(app, client, auth, user_id):
    ids = _history(app, user_id)
    with app.app_context():
        viewer = auth.create("viewer@example.com")
        membership = Membership(household_id=household_of(user_id), user_id=viewer,
                                role=VIEWER)
        db.session.add(membership)
        db.session.get(User, viewer).current_household_id = household_of(user_id)
        db.session.commit()
    auth.logout()
    auth.login("viewer@example.com")
    page = client.get("/bills/series").get_data(as_text=True)
    assert "Netflix" in page and "Dismiss" not in page
    response = client.post_form(f"/bills/series/{ids['Netflix']}/dismiss", page="/bills/")
    assert response.status_code == 403


def test_alert_channels_are_saved_per_kind(app, client, user_id):
    page = client.get("/bills/alerts").get_data(as_text=True)
    assert 'name="email" value="bill_due"' in page and "checked disabled" in page
    response = client.post_form("/bills/alerts", {"email": ["bill_late", "anomaly", "bogus"]},
                                page="/bills/alerts")
    assert response.status_code == 303
    with app.app_context():
        from finance_app.services.recurring.alerts import email_kinds

        assert email_kinds(db.session, user_id) == {"bill_late", "anomaly"}
    page = client.get("/bills/alerts").get_data(as_text=True)
    assert 'value="bill_late" id="email-bill_late" checked' in page
    assert 'value="bill_due" id="email-bill_due" aria' in page


def test_webhooks_page_shows_the_secret_once_and_logs_deliveries(app, client, user_id):
    response = client.post_form("/bills/webhooks", {"url": "ftp://x", "events": ["anomaly"]},
                                page="/bills/webhooks")
    assert response.status_code == 422
    assert "must start with https://" in response.get_data(as_text=True)
    # Outside production a local receiver is allowed (the tests' own).
    page = client.post_form("/bills/webhooks", {"url": "http://127.0.0.1:9/hook",
                                                "events": ["anomaly", "bill_due"]},
                            page="/bills/webhooks").get_data(as_text=True)
    assert 'id="webhook-secret"' in page and "whsec_" in page
    again = client.get("/bills/webhooks").get_data(as_text=True)
    assert "whsec_" not in again and "http://127.0.0.1:9/hook" in again
    with app.app_context():
        from finance_app.models.recurring import WebhookEndpoint
        from finance_app.services import webhooks

        endpoint = db.session.scalars(select(WebhookEndpoint)).one()
        [delivery] = webhooks.queue_event(db.session, endpoint.household_id, user_id,
                                          "anomaly", {})
        delivery.status, delivery.response_code, delivery.attempts = "failed", 500, 5
        db.session.commit()
        endpoint_id, delivery_id = endpoint.id, delivery.id
    log = client.get(f"/bills/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "HTTP 500" in log and "Failed" in log
    response = client.post_form(f"/bills/webhooks/deliveries/{delivery_id}/resend",
                                page=f"/bills/webhooks/{endpoint_id}")
    assert response.status_code == 303
    with app.app_context():
        from finance_app.models.recurring import WebhookDelivery

        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 2


def test_text_messages_need_twilio_settings(app, client, user_id):
    page = client.get("/bills/alerts").get_data(as_text=True)
    assert "Text messages are not set up on this server." in page
    assert 'name="sms" value="bill_due" id="sms-bill_due" disabled' in page
    response = client.post_form("/bills/alerts/phone", {"number": "+14155550123"},
                                page="/bills/alerts")
    assert response.status_code == 303
    with app.app_context():
        from finance_app.services.recurring.sms import get_phone

        assert get_phone(db.session, user_id) is None
