"""A write stamps the months it touched, so a cached month of the summary survives writes to
other months; writes that may change every month give a new summary base."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import insert, update

from finance_app.extensions import db
from finance_app.models.ledger import SplitLine, Transaction
from finance_app.services.ledger import merchants, spending
from finance_app.services.ledger.cache import LedgerCache, MemoryStore
from finance_app.services.ledger.periods import DateRange
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.ledger.version import bump_ledger_version, summary_stamps
from tests.factories import Ledger, build_ledger, make_txn, make_user
from tests.services.ledger.test_summary import counting

D = Decimal
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)


def _state(ledger: Ledger) -> tuple[int, dict[date, int]]:
    return summary_stamps(db.session, ledger.household_id)


def _stamped(before: tuple[int, dict[date, int]], after: tuple[int, dict[date, int]]
             ) -> set[date] | None:
    """The months whose stamp changed, or None when the base changed (every month)."""
    if before[0] != after[0]:
        return None
    return {m for m, s in after[1].items() if before[1].get(m) != s}


def test_each_write_stamps_the_months_it_touched(ctx: object) -> None:
    ledger = build_ledger(make_user("stamps@example.com"))
    other = build_ledger(make_user("stamps-other@example.com"))
    theirs = summary_stamps(db.session, other.household_id)
    state = _state(ledger)

    def stamped() -> set[date] | None:
        nonlocal state
        before, state = state, _state(ledger)
        return _stamped(before, state)

    txn = make_txn(ledger.card, "-1", date(2026, 3, 3), "Kiosk", category=ledger.dining)
    assert stamped() == {MARCH}
    txn.notes = "coffee"
    db.session.flush()
    assert stamped() == {MARCH}
    txn.date = date(2026, 5, 9)  # moved: the month it left and the one it joined
    db.session.flush()
    assert stamped() == {MARCH, MAY}
    db.session.add(SplitLine(transaction_id=txn.id, category_id=ledger.dining.id,
                             amount=D("-1")))
    db.session.flush()
    assert stamped() == {MAY}
    db.session.execute(insert(Transaction), [{
        "household_id": ledger.household_id, "account_id": ledger.card.id,
        "date": date(2026, 4, 4), "amount": D("-2"), "locked_fields": [],
    }])
    assert stamped() == {APRIL}
    db.session.delete(txn)
    db.session.flush()
    assert stamped() == {MAY}
    ledger.dining.kind = "income"  # every month's lines carry their category's kind
    db.session.flush()
    assert stamped() is None
    db.session.execute(update(Transaction).where(Transaction.household_id == ledger.household_id)
                       .values(notes="bulk"))
    assert stamped() is None
    bump_ledger_version(db.session, ledger.household_id)
    assert stamped() is None
    assert summary_stamps(db.session, other.household_id) == theirs


def test_a_write_recomputes_only_its_month_and_the_figures_stay_exact(ctx: object) -> None:
    ledger = build_ledger(make_user("stamps-view@example.com"))
    for month in range(1, 7):
        make_txn(ledger.card, f"-{month}0", date(2026, month, 10), "Grocer",
                 category=ledger.groceries)
    cache = LedgerCache(MemoryStore())
    half_year = (date(2026, 1, 1), date(2026, 6, 30))
    view = LedgerView(db.session, ledger.scope, "USD", cache)
    first = list(view.lines(half_year))

    make_txn(ledger.card, "-7", date(2026, 4, 12), "Kiosk", category=ledger.groceries)
    fresh = LedgerView(db.session, ledger.scope, "USD", cache)
    with counting() as statements:
        lines = list(fresh.lines(half_year))
    summary_queries = [s for s in statements if "UNION ALL" in s]
    assert len(summary_queries) == 1  # April alone, not six months
    assert lines != first
    uncached = list(LedgerView(db.session, ledger.scope, "USD").lines(half_year))
    assert sorted(map(repr, lines)) == sorted(map(repr, uncached))

    q = LedgerQuery(ledger.scope, "USD", date(2026, 6, 30), DateRange(*half_year))
    cached_view = LedgerView(db.session, ledger.scope, "USD", cache)
    assert (spending.category_spending(db.session, q, cached_view)
            == spending.category_spending(db.session, q, LedgerView(db.session, ledger.scope,
                                                                    "USD")))


def test_a_rolled_back_write_leaves_no_stamp(ctx: object) -> None:
    ledger = build_ledger(make_user("stamps-rollback@example.com"))
    db.session.commit()
    before = _state(ledger)
    with db.session.begin_nested():
        make_txn(ledger.card, "-3", date(2026, 2, 2), "Kiosk", category=ledger.dining)
        assert _stamped(before, _state(ledger)) == {date(2026, 2, 1)}
        db.session.rollback()
    assert _state(ledger) == before


def test_merchants_of_a_range_through_months_read_cached_months_and_the_edge_days(
        ctx: object) -> None:
    ledger = build_ledger(make_user("stamps-merchants@example.com"))
    for month in range(1, 7):
        make_txn(ledger.card, f"-{month}0", date(2026, month, 10), "Grocer",
                 category=ledger.groceries)
        make_txn(ledger.card, "-3", date(2026, month, 2), "Kiosk", category=ledger.dining)
        make_txn(ledger.euro, "-5", date(2026, month, 28), "Bakery", category=ledger.dining)
    cache = LedgerCache(MemoryStore())
    # From the 5th of January to the 20th of June: whole months February to May, and days.
    q = LedgerQuery(ledger.scope, "USD", date(2026, 6, 30),
                    DateRange(date(2026, 1, 5), date(2026, 6, 20)))
    uncached = merchants.top_merchants(db.session, q)
    cached = merchants.top_merchants(db.session, q, LedgerView(db.session, ledger.scope, "USD",
                                                               cache))
    assert cached == uncached
    spent = {r.name: (r.spent, r.count) for r in cached.by_amount}
    assert spent["Grocer"] == (D("210"), 6)  # 10 + 20 + ... + 60
    assert spent["Kiosk"][1] == 5  # not the 2nd of January
    assert spent["Bakery"][1] == 5  # not the 28th of June

    make_txn(ledger.card, "-100", date(2026, 3, 15), "Kiosk", category=ledger.dining)
    with counting() as statements:
        again = merchants.top_merchants(db.session, q, LedgerView(db.session, ledger.scope,
                                                                  "USD", cache))
    month_queries = [s for s in statements
                     if "GROUP BY" in s and ("date_trunc" in s or "start of month" in s)]
    assert len(month_queries) == 2  # March again (its whole and its split lines), no other
    assert {r.name: r.count for r in again.by_amount}["Kiosk"] == 6
    assert again == merchants.top_merchants(db.session, q)
