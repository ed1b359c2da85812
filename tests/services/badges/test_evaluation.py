"""Awarding: each badge once per member whatever the number of runs, with its date and a
notification; never in another household; a private account counts only for its member."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models import BadgeAward, Notification, User
from finance_app.models.household import EDITOR, VIEWER, Membership
from finance_app.models.ledger import TRANSFER
from finance_app.services.badges.evaluation import (
    award_badges,
    count_badges,
    list_badges,
    newest_award,
)
from finance_app.services.badges.rules import RULES
from finance_app.services.debts import records as debts
from tests.factories import (
    household_of,
    make_account,
    make_category,
    make_txn,
    make_user,
    scope_of,
)

TODAY = date(2026, 6, 15)


@pytest.fixture()
def household(ctx):
    """An owner and a viewer sharing a household, and a stranger with a household of their own."""
    owner = make_user("owner@example.com")
    viewer = make_user("viewer@example.com")
    stranger = make_user("stranger@example.com")
    db.session.add(Membership(household_id=household_of(owner), user_id=viewer.id, role=VIEWER))
    viewer.current_household_id = household_of(owner)
    db.session.commit()
    return owner, viewer, stranger


def _awards(household_id: int) -> list[tuple[str, str, date]]:
    rows = db.session.execute(
        select(User.email, BadgeAward.key, BadgeAward.awarded_on).join(
            User, User.id == BadgeAward.user_id)
        .where(BadgeAward.household_id == household_id)
        .order_by(User.email, BadgeAward.key))
    return [tuple(r) for r in rows]


def _pay_off_a_debt(owner: User) -> None:
    scope = scope_of(owner)
    card = make_account(owner, "Card", type="credit_card", opening_balance=Decimal("-80"))
    # A payment from outside the ledger, filed as a transfer: no income, no spending.
    make_txn(card, "80", date(2026, 5, 7), "Payment", category=make_category(owner, "Moves",
                                                                              TRANSFER))
    debts.create_debt(db.session, scope, debts.DebtInput(
        "Card", "credit_card", minimum_payment=Decimal("25"), account_id=card.id))


def test_each_badge_is_awarded_once_to_every_member(household):
    owner, viewer, stranger = household
    _pay_off_a_debt(owner)
    stranger_card = make_account(stranger, "Other card", type="credit_card",
                                 opening_balance=Decimal("-500"))
    debts.create_debt(db.session, scope_of(stranger), debts.DebtInput(
        "Other", "credit_card", minimum_payment=Decimal("5"), account_id=stranger_card.id))
    db.session.commit()
    home = household_of(owner)

    first = award_badges(db.session, home, TODAY)
    db.session.commit()
    expected = [(email, key, date(2026, 5, 7)) for email in ("owner@example.com",
                                                             "viewer@example.com")
                for key in ("debt_free", "debt_paid_off")]
    assert sorted((a.key, a.user_id) for a in first) == sorted(
        (key, user.id) for user in (owner, viewer) for key in ("debt_free", "debt_paid_off"))
    assert _awards(home) == expected
    notes = db.session.scalars(select(Notification).where(
        Notification.user_id.in_((owner.id, viewer.id))).order_by(Notification.id)).all()
    assert [(n.kind, n.title, n.link) for n in notes if n.user_id == viewer.id] == [
        ("badge.earned", "Badge earned: Debt paid off", "/badges/"),
        ("badge.earned", "Badge earned: Debt-free", "/badges/")]

    for _ in range(2):  # re-runs award nothing and notify no one
        assert award_badges(db.session, home, TODAY) == []
        db.session.commit()
    assert _awards(home) == expected
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 4
    # The stranger's household was never touched (their own debt is not paid off).
    assert _awards(household_of(stranger)) == []
    assert award_badges(db.session, household_of(stranger), TODAY) == []


def test_a_member_who_joins_later_gets_the_badges_with_their_dates(household):
    owner, _viewer, _ = household
    _pay_off_a_debt(owner)
    home = household_of(owner)
    award_badges(db.session, home, TODAY)
    db.session.commit()
    late = make_user("late@example.com")
    db.session.add(Membership(household_id=home, user_id=late.id, role=EDITOR))
    db.session.commit()
    later = award_badges(db.session, home, date(2026, 7, 1))
    assert {(a.user_id, a.key, a.awarded_on) for a in later} == {
        (late.id, "debt_paid_off", date(2026, 5, 7)), (late.id, "debt_free", date(2026, 5, 7))}


def test_a_private_account_counts_only_for_its_member(household):
    owner, viewer, _ = household
    scope = scope_of(owner)
    private = make_account(owner, "Own card", type="credit_card", is_private=True,
                           opening_balance=Decimal("-10"))
    make_txn(private, "10", date(2026, 5, 2), "Payment",
             category=make_category(owner, "Moves", TRANSFER))
    debts.create_debt(db.session, scope, debts.DebtInput(
        "Own card", "credit_card", minimum_payment=Decimal("5"), account_id=private.id))
    db.session.commit()
    awards = award_badges(db.session, household_of(owner), TODAY)
    assert {(a.user_id, a.key) for a in awards} == {(owner.id, "debt_paid_off"),
                                                    (owner.id, "debt_free")}
    assert viewer.id not in {a.user_id for a in awards}


def test_the_listing_shows_earned_badges_first_and_locked_ones_with_progress(household):
    owner, viewer, _ = household
    _pay_off_a_debt(owner)
    award_badges(db.session, household_of(owner), TODAY)
    db.session.commit()
    statuses = list_badges(db.session, scope_of(viewer), viewer, TODAY)
    assert [s.rule.key for s in statuses[:2]] == ["debt_paid_off", "debt_free"] or \
        [s.rule.key for s in statuses[:2]] == ["debt_free", "debt_paid_off"]
    assert all(s.award and s.award.awarded_on == date(2026, 5, 7) for s in statuses[:2])
    assert all(s.progress is None for s in statuses[:2])  # earned: not measured again
    locked = statuses[2:]
    assert [s.rule.key for s in locked] == [r.key for r in RULES
                                            if r.key not in ("debt_free", "debt_paid_off")]
    assert all(s.progress is not None and not s.is_earned for s in locked)
    assert count_badges(statuses) == (2, len(RULES) - 2)
    rule, award = newest_award(db.session, scope_of(viewer), viewer.id)
    assert award.user_id == viewer.id and rule.key in ("debt_free", "debt_paid_off")
    stranger = household[2]
    assert newest_award(db.session, scope_of(stranger), stranger.id) is None


def test_progress_is_reported(household):
    owner = household[0]
    reports: list[tuple[int, str]] = []
    award_badges(db.session, household_of(owner), TODAY, lambda p, m: reports.append((p, m)))
    # One group of members (owner and viewer see the same accounts): one step per rule.
    assert len(reports) == len(RULES)
    assert reports[-1][0] == 100 and reports[0][1] == f"Checking “{RULES[0].title}”"
