"""The weekly summary's figures: the week's spending against the median of the 8 weeks before
(from the ledger core), budgets at risk, and only what the member may see."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from finance_app.extensions import db
from finance_app.models.budget import MONTHLY
from finance_app.models.household import EDITOR, Membership
from finance_app.services.budgets import budgets
from finance_app.services.weekly_summary.content import build_summary
from tests.factories import household_of, make_account, make_category, make_txn, make_user

D = Decimal
SEND_WEEK = date(2026, 11, 30)
SUMMED_WEEK = date(2026, 11, 23)
NOW = datetime(2026, 11, 30, 9, 0)


def _ledger(user):
    checking = make_account(user, "Checking")
    groceries = make_category(user, "Groceries")
    dining = make_category(user, "Dining")
    # The 8 weeks before: 100, 200, ... 800 (median 450), each on the week's Tuesday.
    for n in range(1, 9):
        make_txn(checking, f"-{n * 100}.00", SUMMED_WEEK - timedelta(weeks=n) + timedelta(days=1),
                 "Grocer", category=groceries)
    make_txn(checking, "-500.00", SUMMED_WEEK + timedelta(days=2), "Grocer", category=groceries)
    make_txn(checking, "-95.00", SUMMED_WEEK + timedelta(days=3), "Bistro", category=dining)
    make_txn(checking, "2000.00", SUMMED_WEEK + timedelta(days=4), "Salary")  # income: not spent
    return checking, groceries, dining


def test_figures_are_the_week_against_the_median_week_and_budgets_at_risk(ctx):
    user = make_user("figures@example.com")
    user.weekly_email_figures = True
    _, groceries, dining = _ledger(user)
    from tests.factories import scope_of

    budgets.create_budget(db.session, scope_of(user), dining.id, MONTHLY, D("100"),
                          today=SEND_WEEK)
    budgets.create_budget(db.session, scope_of(user), groceries.id, MONTHLY, D("5000"),
                          today=SEND_WEEK)
    db.session.commit()

    summary = build_summary(db.session, user, SEND_WEEK, NOW)
    assert (summary.period.start, summary.period.end) == (SUMMED_WEEK, date(2026, 11, 29))
    assert summary.is_first
    (household,) = summary.figures
    assert household.spent == D("595.00")
    assert household.usual == D("450.00")
    assert household.change_percent == D("32.2")
    assert [(b.name, b.spent, b.available, b.percent, b.state)
            for b in household.budgets_at_risk] == [("Dining", D("95.00"), D("100.00"), 95,
                                                     "danger")]


def test_no_figures_unless_the_member_chose_them(ctx):
    user = make_user("quiet@example.com")
    _ledger(user)
    db.session.commit()
    assert build_summary(db.session, user, SEND_WEEK, NOW).figures is None


def test_a_partners_private_account_is_not_in_the_members_figures(ctx):
    owner = make_user("owner@example.com")
    owner.weekly_email_figures = True
    _ledger(owner)
    partner = make_user("partner@example.com")
    household_id = household_of(owner)
    db.session.add(Membership(household_id=household_id, user_id=partner.id, role=EDITOR))
    partner.current_household_id = household_id
    db.session.flush()
    from tests.factories import scope_of

    secret = make_account(scope_of(partner), "Partner's own", is_private=True)
    make_txn(secret, "-7777.00", SUMMED_WEEK + timedelta(days=1), "Jeweller")
    db.session.commit()

    figures = {f.household_name: f for f in build_summary(db.session, owner, SEND_WEEK, NOW)
               .figures}
    assert len(figures) == 1
    assert next(iter(figures.values())).spent == D("595.00")
    partner.weekly_email_figures = True
    partner_figures = build_summary(db.session, partner, SEND_WEEK, NOW).figures
    # The partner is in two households (their own and the owner's); in the shared one the
    # private spending counts for them.
    assert sorted(f.spent for f in partner_figures) == [D("0"), D("8372.00")]
