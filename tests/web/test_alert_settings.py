"""The alert preferences page: a column per channel for every kind, the member's amounts
(large transaction, a low-balance level per cash account), refused amounts answered with the
page, and a viewer saving their own choices (they are not household data) while the
household's data stays read-only to them."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import Membership, User
from finance_app.models.household import VIEWER
from finance_app.models.recurring import ALERT_KIND_LABELS, ALERT_KINDS, RecurringSeries
from finance_app.services.alerts import preferences
from tests.factories import household_of, make_account, scope_of


def _checking(app, user_id) -> int:
    with app.app_context():
        account = make_account(scope_of(user_id), "Checking", type="checking")
        make_account(scope_of(user_id), "Visa", type="credit_card")  # not a cash account
        db.session.commit()
        return account.id


def test_every_kind_has_a_label_and_four_channels(app, client, user_id):
    checking = _checking(app, user_id)
    page = client.get("/bills/alerts").get_data(as_text=True)
    for kind in ALERT_KINDS:
        assert ALERT_KIND_LABELS[kind] in page
        for channel in ("email", "sms", "webhook"):
            assert f'id="{channel}-{kind}"' in page
    assert f'name="level-{checking}"' in page and "Visa" not in page
    assert 'id="webhook-bill_due" checked' in page  # webhooks are on unless turned off


def test_channels_and_amounts_are_saved_and_refused_amounts_answered(app, client, user_id):
    checking = _checking(app, user_id)
    response = client.post_form("/bills/alerts", {
        "email": ["low_balance"], "webhook": ["large_transaction"],
        "large_threshold": "1,000", f"level-{checking}": "250.50"}, page="/bills/alerts")
    assert response.status_code == 303
    with app.app_context():
        choices = preferences.get_choices(db.session, scope_of(user_id), user_id)
        assert choices.email == {"low_balance"} and choices.webhook == {"large_transaction"}
        assert choices.large_threshold == Decimal("1000")
        assert choices.balance_levels == {checking: Decimal("250.50")}
        assert db.session.get(User, user_id).notify_budget_email is False  # one switch
    page = client.get("/bills/alerts").get_data(as_text=True)
    assert 'value="1000.00"' in page and 'value="250.50"' in page
    refused = client.post_form("/bills/alerts", {"large_threshold": "a lot"},
                               page="/bills/alerts")
    assert refused.status_code == 422
    assert "Enter an amount like 250" in refused.get_data(as_text=True)
    with app.app_context():  # nothing of the refused form was saved
        assert preferences.get_large_threshold(db.session, user_id) == Decimal("1000")


def test_a_viewer_saves_their_own_alerts_but_not_household_data(app, client, auth, user_id):
    checking = _checking(app, user_id)
    with app.app_context():
        viewer = auth.create("viewer@example.com")
        db.session.add(Membership(household_id=household_of(user_id), user_id=viewer,
                                  role=VIEWER))
        db.session.get(User, viewer).current_household_id = household_of(user_id)
        series = RecurringSeries(household_id=household_of(user_id), merchant="Gym",
                                 merchant_key="gym", interval="monthly", kind="bill",
                                 expected_amount=Decimal("-30"), amount_low=Decimal("-30"),
                                 amount_high=Decimal("-30"))
        db.session.add(series)
        db.session.commit()
        series_id = series.id
    auth.logout()
    auth.login("viewer@example.com")
    response = client.post_form("/bills/alerts", {
        "email": ["new_transactions"], "large_threshold": "300",
        f"level-{checking}": "100"}, page="/bills/alerts")
    assert response.status_code == 303
    with app.app_context():
        choices = preferences.get_choices(db.session, scope_of(viewer), viewer)
        assert "new_transactions" in choices.email
        assert choices.large_threshold == Decimal("300")
        assert choices.balance_levels == {checking: Decimal("100")}
        # The owner's own choices are untouched: they are per member.
        assert preferences.get_large_threshold(db.session, user_id) is None
    # Household data stays read-only to a viewer.
    assert client.post_form(f"/bills/series/{series_id}/dismiss",
                            page="/bills/").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(RecurringSeries.status).where(
            RecurringSeries.id == series_id)) != "dismissed"
