"""Bank sync on the alert channels: an Item going to login-required is one "needs attention"
alert per member and change of state (a failing sync run again is not news; a repair and a new
failure is), and a sync's new rows are one summary, not one alert per row."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import PlaidItem
from finance_app.models.bank_sync import ITEM_GOOD, ITEM_NEEDS_REAUTH
from finance_app.models.recurring import NEW_TRANSACTIONS, SYNC_ATTENTION, AlertSend
from finance_app.services.alerts.preferences import set_channels
from finance_app.services.bank_sync.items import mark_login_repaired
from finance_app.tasks import bank_sync as tasks

D = date.today()


def _sends(kind: str) -> list[AlertSend]:
    return list(db.session.scalars(select(AlertSend).where(AlertSend.kind == kind)
                                   .order_by(AlertSend.id)))


def test_login_required_is_one_alert_per_change_of_state(linked, owner, fake_plaid, mailbox):
    fake_plaid.set_item_error(linked.fake_item, "ITEM_LOGIN_REQUIRED")
    tasks.sync_item_later(linked.item.id, "manual")
    assert db.session.get(PlaidItem, linked.item.id).status == ITEM_NEEDS_REAUTH
    [first] = _sends(SYNC_ATTENTION)
    assert first.key.startswith(f"{SYNC_ATTENTION}:{linked.item.id}:{ITEM_NEEDS_REAUTH}:")
    assert first.title.endswith("needs you to sign in again")
    assert [m["Subject"] for m in mailbox.to(owner.email)] == [tasks.ATTENTION_SUBJECT]
    tasks.sync_item_later(linked.item.id, "manual")  # still failing: not news
    assert len(_sends(SYNC_ATTENTION)) == 1 and len(mailbox.to(owner.email)) == 1
    mark_login_repaired(db.session, db.session.get(PlaidItem, linked.item.id))
    db.session.commit()
    assert db.session.get(PlaidItem, linked.item.id).status == ITEM_GOOD
    set_channels(db.session, owner.id, set())  # email off for every kind
    db.session.commit()
    tasks.sync_item_later(linked.item.id, "manual")  # broken again: a new alert, in-app only
    assert len(_sends(SYNC_ATTENTION)) == 2 and len(mailbox.to(owner.email)) == 1


def test_a_syncs_new_rows_are_one_summary(linked, fake_plaid):
    for n in range(3):
        fake_plaid.add(linked.fake_item,
                       fake_plaid.transaction(linked.checking_id, "5.00", D, f"Deli {n}"))
    tasks.sync_item_later(linked.item.id, "manual")
    [summary] = _sends(NEW_TRANSACTIONS)
    assert summary.title.startswith("3 new transactions")
    tasks.sync_item_later(linked.item.id, "manual")  # nothing new
    assert len(_sends(NEW_TRANSACTIONS)) == 1
