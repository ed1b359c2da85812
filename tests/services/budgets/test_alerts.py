"""Threshold alerts fire exactly once per budget, period and threshold; emails go out once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.budget import BudgetAlert
from finance_app.models.notification import Notification
from finance_app.models.user import User
from finance_app.services import notifications
from finance_app.services.budgets import budgets
from finance_app.services.budgets.alerts import check_budget_alerts
from finance_app.services.ledger.periods import MONTH
from tests.conftest import Mailbox
from tests.factories import Ledger, build_ledger, make_txn, make_user

D = Decimal
MARCH = date(2026, 3, 15)


@pytest.fixture()
def ledger(ctx: object) -> Ledger:
    return build_ledger(make_user("alerts@example.com"))


def alert_rows(budget_id: int) -> list[tuple[date, int]]:
    return sorted((r[0], r[1]) for r in db.session.execute(
        select(BudgetAlert.period_start, BudgetAlert.threshold)
        .where(BudgetAlert.budget_id == budget_id)
    ))


def test_crossing_thresholds_fires_once(ledger: Ledger) -> None:
    dining = budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH,
                                   D("240"), today=MARCH)
    # 200 of 240 spent = 83 %: the 80 % alert.
    first = check_budget_alerts(db.session, ledger.household_id, MARCH)
    assert [a.threshold for a in first] == [80]
    assert check_budget_alerts(db.session, ledger.household_id, MARCH) == []
    # Re-running after an unrelated import changes nothing.
    make_txn(ledger.checking, "-5", date(2026, 3, 15), "Kiosk", category=ledger.shopping)
    assert check_budget_alerts(db.session, ledger.household_id, MARCH) == []
    # +30 -> 230 of 240 = 95.8 %: the 90 % alert; then +20 -> 250: 100 %.
    make_txn(ledger.card, "-30", date(2026, 3, 15), "Bistro", category=ledger.dining)
    announced = check_budget_alerts(db.session, ledger.household_id, MARCH)
    assert [a.threshold for a in announced] == [90]
    make_txn(ledger.card, "-20", date(2026, 3, 15), "Bistro", category=ledger.dining)
    announced = check_budget_alerts(db.session, ledger.household_id, MARCH)
    assert [a.threshold for a in announced] == [100]
    for _ in range(3):
        assert check_budget_alerts(db.session, ledger.household_id, MARCH) == []
    march = date(2026, 3, 1)
    assert alert_rows(dining.id) == [(march, 80), (march, 90), (march, 100)]
    titles = [n.title for n in notifications.list_notifications(db.session, ledger.user_id)]
    assert titles == ["T Dining: budget used up", "T Dining: 90% of budget used",
                      "T Dining: 80% of budget used"]


def test_a_jump_past_several_thresholds_notifies_once(ledger: Ledger) -> None:
    budgets.create_budget(db.session, ledger.scope, ledger.food.id, MONTH, D("400"),
                          today=MARCH)
    announced = check_budget_alerts(db.session, ledger.household_id, MARCH)
    assert [a.threshold for a in announced] == [100]
    assert announced[0].spent == D("450")
    count = db.session.execute(select(func.count()).select_from(BudgetAlert)).scalar()
    assert count == 3
    assert notifications.count_unread(db.session, ledger.user_id) == 1


def test_a_new_period_fires_again(ledger: Ledger) -> None:
    dining = budgets.create_budget(db.session, ledger.scope, ledger.dining.id, MONTH,
                                   D("100"), today=MARCH)
    assert len(check_budget_alerts(db.session, ledger.household_id, MARCH)) == 1
    make_txn(ledger.card, "-95", date(2026, 4, 2), "Bistro", category=ledger.dining)
    assert len(check_budget_alerts(db.session, ledger.household_id, date(2026, 4, 3))) == 1
    assert {p for p, _ in alert_rows(dining.id)} == {date(2026, 3, 1), date(2026, 4, 1)}


def test_alerts_stay_with_their_user(ledger: Ledger) -> None:
    other = build_ledger(make_user("bob@example.com"))
    budgets.create_budget(db.session, other.scope, other.food.id, MONTH, D("400"), today=MARCH)
    assert check_budget_alerts(db.session, ledger.household_id, MARCH) == []
    assert notifications.count_unread(db.session, ledger.user_id) == 0
    assert len(check_budget_alerts(db.session, other.household_id, MARCH)) == 1
    note = notifications.list_notifications(db.session, other.user_id)[0]
    from finance_app.services.errors import NotFound
    with pytest.raises(NotFound):
        notifications.mark_read(db.session, ledger.user_id, note.id)


def test_alert_email_job_sends_once_and_respects_the_preference(
    ledger: Ledger, mailbox: Mailbox,
) -> None:
    from finance_app.tasks.alerts import send_alerts_job
    from finance_app.tasks.budget_alerts import check_budget_alerts_job

    budgets.create_budget(db.session, ledger.scope, ledger.food.id, MONTH, D("400"),
                          today=date.today())
    make_txn(ledger.card, "-500", date.today(), "Market", category=ledger.groceries)
    db.session.commit()
    result = check_budget_alerts_job(ledger.household_id)
    assert result == {"alerts": 1, "emails": 1}
    messages = mailbox.to("alerts@example.com")
    assert len(messages) == 1
    assert messages[0]["Subject"] == "T Food: budget used up"
    text = messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "$500.00 spent of $400.00" in text
    assert db.session.scalars(select(BudgetAlert).where(BudgetAlert.threshold == 100)).one()
    assert send_alerts_job(ledger.household_id)["emails"] == 0  # once per member and alert
    assert check_budget_alerts_job(ledger.household_id) == {"alerts": 0, "emails": 0}
    assert len(mailbox.to("alerts@example.com")) == 1


def test_no_email_when_the_user_turned_it_off(ledger: Ledger, mailbox: Mailbox) -> None:
    from finance_app.tasks.budget_alerts import check_budget_alerts_job

    db.session.get(User, ledger.user_id).notify_budget_email = False
    budgets.create_budget(db.session, ledger.scope, ledger.food.id, MONTH, D("10"),
                          today=date.today())
    make_txn(ledger.card, "-50", date.today(), "Market", category=ledger.groceries)
    db.session.commit()
    assert check_budget_alerts_job(ledger.household_id) == {"alerts": 1, "emails": 0}
    assert mailbox.to("alerts@example.com") == []
    assert db.session.execute(select(func.count()).select_from(Notification)).scalar() == 1


def test_nightly_check_covers_every_household_with_budgets(ctx):
    from finance_app.tasks.budget_alerts import check_all_budget_alerts

    ledger = build_ledger(make_user("night@example.com"))
    budgets.create_budget(db.session, ledger.scope, ledger.groceries.id, MONTH, Decimal("10"),
                          today=date.today())
    make_txn(ledger.card, "-50", date.today(), "Market", category=ledger.groceries)
    build_ledger(make_user("nobudget@example.com"))  # no budgets: not checked
    db.session.commit()
    assert check_all_budget_alerts() == {"households": 1, "alerts": 1, "emails": 1}
    assert check_all_budget_alerts()["alerts"] == 0  # fired once per period
