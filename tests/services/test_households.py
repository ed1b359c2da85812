"""Households: one per new user, roles and their limits, invitations, leaving, deleting, and the
member's view that hides other members' private accounts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from finance_app.db import utcnow
from finance_app.extensions import db
from finance_app.models.household import EDITOR, OWNER, VIEWER, Household, Membership
from finance_app.models.ledger import Account, Transaction
from finance_app.services import accounts as account_service
from finance_app.services.errors import NotFound
from finance_app.services.households import invitations as inv
from finance_app.services.households import membership as hh
from finance_app.services.scope import load_scope, owned, scoped
from finance_app.services.transactions.search import TransactionFilter, search_transactions
from tests.factories import household_of, make_account, make_txn, make_user, scope_of

SECRET = "test-secret-key-" + "x" * 32


def _join(user, household_id: int, role: str = EDITOR) -> Membership:
    membership = Membership(household_id=household_id, user_id=user.id, role=role)
    db.session.add(membership)
    user.current_household_id = household_id
    db.session.flush()
    return membership


def _invite_and_accept(owner, guest, role: str = EDITOR) -> Membership:
    invitation = inv.create_invitation(db.session, scope_of(owner), guest.email, role)
    token = inv.issue_link_token(invitation, SECRET)
    return inv.accept_invitation(db.session, token, guest, SECRET)


def test_every_new_user_owns_a_household_of_their_own(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    assert household_of(alice) != household_of(bob)
    assert household_of(alice) != alice.id  # ids never coincide by accident in tests
    mine = hh.list_memberships(db.session, alice.id)
    assert [(m.role, m.household.name) for m in mine] == [(OWNER, "Alice's household")]
    # default categories came with the household
    assert scope_of(alice).can_edit and scope_of(alice).is_owner


def test_private_account_and_its_rows_are_invisible_to_other_members(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _join(bob, household_of(alice))
    shared = make_account(alice, "Joint")
    private = make_account(bob, "Bob's own", is_private=True, owner_id=bob.id)
    make_txn(shared, "-10.00", merchant="Grocer")
    secret = make_txn(private, "-99.00", merchant="Secret gift")
    alice_view, bob_view = scope_of(alice), scope_of(bob)
    assert alice_view.household_id == bob_view.household_id
    assert private.id in alice_view.hidden_account_ids
    assert private.id not in bob_view.hidden_account_ids
    with pytest.raises(NotFound):
        owned(db.session, Account, private.id, alice_view)
    with pytest.raises(NotFound):
        owned(db.session, Transaction, secret.id, alice_view)
    assert owned(db.session, Transaction, secret.id, bob_view).id == secret.id
    names = {a.name for a in db.session.scalars(scoped(Account, alice_view))}
    assert names == {"Joint"}
    found = search_transactions(db.session, alice_view, TransactionFilter(q="secret"))
    assert found.count == 0
    found = search_transactions(db.session, bob_view, TransactionFilter(q="secret"))
    assert found.count == 1
    views = account_service.list_account_views(db.session, alice_view, "USD")
    assert [v.account.name for v in views] == ["Joint"]


def test_only_the_accounts_own_member_can_make_it_private(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _join(bob, household_of(alice))
    joint = make_account(alice, "Joint", owner_id=alice.id)
    data = account_service.AccountInput(name="Joint", is_private=True)
    with pytest.raises(account_service.NotYourAccount):
        account_service.update_account(db.session, scope_of(bob), joint.id, data)
    account_service.update_account(db.session, scope_of(alice), joint.id, data)
    assert joint.is_private
    with pytest.raises(NotFound):
        owned(db.session, Account, joint.id, scope_of(bob))


def test_invitation_joins_once_and_expires(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    invitation = inv.create_invitation(db.session, scope_of(alice), "Bob@Example.com", VIEWER)
    token = inv.issue_link_token(invitation, SECRET)
    joined = inv.accept_invitation(db.session, token, bob, SECRET)
    assert (joined.household_id, joined.role) == (household_of(alice), VIEWER)
    assert scope_of(bob).household_id == household_of(alice)  # the joined household is current
    assert scope_of(bob).is_viewer and not scope_of(bob).can_edit
    with pytest.raises(inv.InvitationUsed):
        inv.accept_invitation(db.session, token, bob, SECRET)
    carol = make_user("carol@example.com", name="Carol")
    late = inv.create_invitation(db.session, scope_of(alice), carol.email, EDITOR)
    token = inv.issue_link_token(late, SECRET)
    late.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(inv.InvitationExpired):
        inv.accept_invitation(db.session, token, carol, SECRET)
    assert db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.user_id == carol.id)) == 1  # only her own household


def test_bad_invitations_change_nothing(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _invite_and_accept(alice, bob)
    with pytest.raises(inv.AlreadyMember):
        inv.create_invitation(db.session, scope_of(alice), "bob@example.com", EDITOR)
    with pytest.raises(hh.OwnersOnly):  # bob is an editor
        inv.create_invitation(db.session, scope_of(bob), "dan@example.com", EDITOR)
    carol = make_user("carol@example.com", name="Carol")
    invitation = inv.create_invitation(db.session, scope_of(alice), carol.email, EDITOR)
    token = inv.issue_link_token(invitation, SECRET)
    with pytest.raises(inv.InvitationForSomeoneElse):  # link forwarded to someone else
        inv.accept_invitation(db.session, token, make_user("eve@example.com"), SECRET)
    with pytest.raises(inv.InvitationInvalid):
        inv.read_invitation(db.session, token[:-3] + "abc", SECRET)
    reissued = inv.issue_link_token(invitation, SECRET)
    with pytest.raises(inv.InvitationInvalid):  # only the newest emailed link works
        inv.read_invitation(db.session, token, SECRET)
    inv.revoke_invitation(db.session, scope_of(alice), invitation.id)
    with pytest.raises(inv.InvitationRevoked):
        inv.accept_invitation(db.session, reissued, carol, SECRET)
    assert [m.user.email for m in hh.list_members(db.session, household_of(alice))] == [
        "alice@example.com", "bob@example.com"]


def test_roles_the_last_owner_and_transfer(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _invite_and_accept(alice, bob)
    home = household_of(alice)
    with pytest.raises(hh.LastOwner):
        hh.set_role(db.session, scope_of(alice), alice.id, EDITOR)
    with pytest.raises(hh.OwnersOnly):
        hh.remove_member(db.session, scope_of(bob), alice.id)
    with pytest.raises(hh.LastOwner):
        hh.leave_household(db.session, scope_of(alice), alice)
    hh.transfer_ownership(db.session, scope_of(alice), bob.id)
    roles = {m.user.email: m.role for m in hh.list_members(db.session, home)}
    assert roles == {"alice@example.com": EDITOR, "bob@example.com": OWNER}
    hh.set_role(db.session, scope_of(bob), alice.id, VIEWER)
    assert scope_of(alice).is_viewer
    with pytest.raises(hh.InvalidRole):
        hh.set_role(db.session, scope_of(bob), alice.id, "god")


def test_leaving_keeps_private_accounts_with_the_household_and_gives_a_new_home(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _invite_and_accept(alice, bob)
    home = household_of(alice)
    private = make_account(scope_of(bob), "Bob's own", is_private=True)
    bob_own = hh.list_memberships(db.session, bob.id)
    assert len(bob_own) == 2
    hh.leave_household(db.session, scope_of(bob), bob)
    assert household_of(bob) != home
    assert private.is_private is False and private.owner_id is None
    assert owned(db.session, Account, private.id, scope_of(alice)).name == "Bob's own"
    with pytest.raises(hh.OnlyMember):
        hh.leave_household(db.session, scope_of(alice), alice)


def test_deleting_a_household_deletes_its_data_and_rehomes_members(ctx, tmp_path):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _invite_and_accept(alice, bob)
    home = household_of(alice)
    account = make_account(alice, "Joint")
    make_txn(account, "-5.00")
    with pytest.raises(hh.WrongHouseholdName):
        hh.delete_household(db.session, scope_of(alice), "nope", attachment_dir=str(tmp_path),
                            model_dir=str(tmp_path))
    hh.delete_household(db.session, scope_of(alice), "Alice's household",
                        attachment_dir=str(tmp_path), model_dir=str(tmp_path))
    assert db.session.get(Household, home) is None
    assert db.session.scalar(select(func.count()).select_from(Transaction).where(
        Transaction.household_id == home)) == 0
    # Bob still had his own household; Alice gets a new, empty one.
    assert household_of(bob) != home and household_of(alice) != home
    assert db.session.scalars(scoped(Account, scope_of(alice))).all() == []


def test_load_scope_refuses_non_members(ctx):
    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    with pytest.raises(NotFound):
        load_scope(db.session, household_of(alice), bob.id)


def test_demo_household_has_a_partner_with_a_private_account(ctx):
    from finance_app.services.demo.partner import PRIVATE_ACCOUNT, seed_demo_partner

    demo = make_user("demo@example.com", name="Demo")
    make_account(demo, "Checking")
    line = seed_demo_partner(db.session, demo, "a long enough password 1")
    assert line and "partner@example.com" in line
    assert seed_demo_partner(db.session, demo, "a long enough password 1") is None  # idempotent
    partner = db.session.scalar(select(Membership).where(
        Membership.household_id == household_of(demo), Membership.user_id != demo.id)).user
    private = db.session.scalar(select(Account).where(Account.name == PRIVATE_ACCOUNT))
    assert private.owner_id == partner.id and private.is_private
    assert private.id in scope_of(demo).hidden_account_ids
    total = sum((t.amount for t in db.session.scalars(
        scoped(Transaction, scope_of(partner)).where(Transaction.account_id == private.id))),
        Decimal("0"))
    assert total == Decimal("3214.60")


def test_shared_budget_alerts_reach_every_member_and_ignore_private_spending(ctx, mailbox):
    from datetime import date

    from finance_app.models.ledger import Category
    from finance_app.models.notification import Notification
    from finance_app.services.budgets.alerts import check_budget_alerts
    from finance_app.services.budgets.budgets import create_budget
    from finance_app.tasks.alerts import send_alerts_job

    alice, bob = make_user(), make_user("bob@example.com", name="Bob")
    _invite_and_accept(alice, bob)
    bob.notify_budget_email = False
    home = household_of(alice)
    today = date.today()
    groceries = db.session.scalar(select(Category).where(
        Category.household_id == home, Category.name == "Groceries"))
    create_budget(db.session, scope_of(alice), groceries.id, "monthly", Decimal("100.00"),
                  today=today)
    secret = make_account(scope_of(bob), "Bob's own", is_private=True)
    make_txn(secret, "-500.00", on=today, category_id=groceries.id)
    assert check_budget_alerts(db.session, home, today) == []  # private spending is private
    make_txn(make_account(alice, "Joint"), "-85.00", on=today, category_id=groceries.id)
    alerts = check_budget_alerts(db.session, home, today)
    assert [a.threshold for a in alerts] == [80]
    notified = db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "budget.threshold")).all()
    assert sorted(notified) == sorted([alice.id, bob.id])
    db.session.commit()
    assert send_alerts_job(home, kinds=["budget_threshold"])["emails"] == 1  # Bob opted out
    assert len(mailbox.to("alice@example.com")) == 1 and mailbox.to("bob@example.com") == []
    assert check_budget_alerts(db.session, home, today) == []  # once per period
