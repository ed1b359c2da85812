"""The sample-data generator: exact counts, determinism, paired transfers, sane balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from finance_app.extensions import db
from finance_app.models.ledger import Account, Category, ExchangeRate, Transaction
from finance_app.services.demo.sample_data import generate_ledger
from tests.factories import household_of, make_user

END = date(2025, 12, 31)


def _fingerprint(household_id: int) -> list[tuple]:
    rows = db.session.execute(
        select(Account.name, Transaction.date, Transaction.amount, Transaction.raw_description)
        .join(Account, Account.id == Transaction.account_id)
        .where(Transaction.household_id == household_id)
        .order_by(Transaction.id)
    )
    return [tuple(r) for r in rows]


def test_generates_exact_count_with_accounts_and_rates(ctx):
    user = make_user()
    result = generate_ledger(db.session, user, years=1, target_transactions=1500, seed=3, end=END)
    count = db.session.scalar(select(func.count()).where(
        Transaction.household_id == household_of(user)))
    assert count == result.transactions == 1500
    types = sorted(db.session.scalars(select(Account.type).where(
        Account.household_id == household_of(user))))
    assert types == ["checking", "checking", "credit_card", "loan", "savings"]
    assert result.rates == 13
    assert db.session.scalar(select(func.count()).select_from(ExchangeRate)) == 13
    first, last = db.session.execute(
        select(func.min(Transaction.date), func.max(Transaction.date))
    ).one()
    assert result.start <= first and last <= END


def test_same_seed_same_ledger_other_seed_differs(ctx):
    alice, bob, carol = make_user("a@example.com"), make_user("b@example.com"), make_user("c@x.io")
    for user, seed in ((alice, 11), (bob, 11), (carol, 12)):
        generate_ledger(db.session, user, years=1, target_transactions=800, seed=seed, end=END)
    assert _fingerprint(household_of(alice)) == _fingerprint(household_of(bob))
    assert _fingerprint(household_of(alice)) != _fingerprint(household_of(carol))


def test_transfers_are_linked_pairs_of_opposite_sign(ctx):
    user = make_user()
    result = generate_ledger(db.session, user, years=1, target_transactions=900, seed=5, end=END)
    transfers = db.session.scalars(
        select(Transaction).where(Transaction.transfer_peer_id.is_not(None))
    ).all()
    assert len(transfers) == 2 * result.transfers > 0
    by_id = {t.id: t for t in transfers}
    for txn in transfers:
        peer = by_id[txn.transfer_peer_id]
        assert peer.transfer_peer_id == txn.id
        assert peer.account_id != txn.account_id
        assert (txn.amount < 0) != (peer.amount < 0)
        if txn.account.currency == peer.account.currency:
            assert txn.amount == -peer.amount
        assert txn.category.kind == "transfer"


def test_every_row_categorized_from_defaults_and_accounts_stay_plausible(ctx):
    user = make_user()
    generate_ledger(db.session, user, years=2, target_transactions=3000, seed=9, end=END)
    uncategorized = db.session.scalar(
        select(func.count()).where(Transaction.category_id.is_(None))
    )
    assert uncategorized == 0
    used = set(db.session.scalars(
        select(Category.name).join(Transaction, Transaction.category_id == Category.id)
    ))
    assert {"Groceries", "Restaurants", "Rent", "Salary", "Transfer", "Subscriptions"} <= used
    balances = dict(db.session.execute(
        select(Account.type, Account.opening_balance + func.sum(Transaction.amount))
        .join(Transaction, Transaction.account_id == Account.id)
        .where(Account.currency == "USD", Account.type != "checking")
        .group_by(Account.type, Account.opening_balance)
    ).all())
    assert balances["savings"] > Decimal("12500")
    assert balances["loan"] > Decimal("-18500")
    raw = set(db.session.scalars(select(Transaction.raw_description)))
    assert "SQ *BLUE BOTTLE COFFEE" in raw
    assert any(r.startswith("AMZN Mktp US*") for r in raw)
