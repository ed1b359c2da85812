"""The monthly ledger summary: the reference GROUP BY's figures, cached per month and version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event

from finance_app.extensions import db
from finance_app.models.ledger import SplitLine, Transaction
from finance_app.services.ledger import balance_sheet as sheet
from finance_app.services.ledger import cashflow as flow_reads
from finance_app.services.ledger import merchants as merchant_reads
from finance_app.services.ledger import spending as spending_reads
from finance_app.services.ledger.cache import LedgerCache, MemoryStore
from finance_app.services.ledger.lines import LedgerFilter, aggregate, bucket
from finance_app.services.ledger.periods import MONTH, DateRange
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.rates import RateBook
from finance_app.services.ledger.summary import LedgerView, summarize
from tests.factories import Ledger, build_ledger, make_user

D = Decimal
MARCH = DateRange(date(2026, 3, 1), date(2026, 3, 31))
TODAY = date(2026, 3, 15)


@pytest.fixture()
def ledger(ctx: object) -> Ledger:
    ledger = build_ledger(make_user("summary@example.com"))
    # Two lines in one category (one transaction), and an uncategorized refund line.
    split = Transaction(household_id=ledger.household_id, account_id=ledger.card.id,
                        date=date(2026, 3, 20), amount=D("-70"), merchant="Corner shop",
                        raw_description="CORNER", locked_fields=[],
                        created_by_id=ledger.user_id)
    db.session.add(split)
    db.session.flush()
    db.session.add_all([
        SplitLine(transaction_id=split.id, category_id=ledger.groceries.id, amount=D("-60")),
        SplitLine(transaction_id=split.id, category_id=ledger.groceries.id, amount=D("-30")),
        SplitLine(transaction_id=split.id, category_id=None, amount=D("20")),
    ])
    db.session.flush()
    return ledger


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _reference(ledger: Ledger, keys: str, accounts: tuple[int, ...] = ()) -> dict:
    f = LedgerFilter(ledger.scope, date(2025, 1, 1), date(2026, 12, 31), accounts)
    dialect = db.session.get_bind().dialect.name
    agg = aggregate(
        db.session, f, RateBook(db.session, ledger.scope, "USD"),
        lambda ln: [bucket(ln.c.date, MONTH, dialect), getattr(ln.c, keys)],
    )
    return {(k[0] if isinstance(k[0], date) else date.fromisoformat(str(k[0])), k[1]):
            (v.amount, v.count) for k, v in agg.totals.items()}


@pytest.mark.parametrize("keys", ["kind", "category_id"])
@pytest.mark.parametrize("card_only", [False, True])
def test_summary_matches_the_reference_group_by(ledger: Ledger, keys: str,
                                                 card_only: bool) -> None:
    accounts = (ledger.card.id,) if card_only else ()
    view = LedgerView(db.session, ledger.scope, "USD")
    derived = summarize(view.lines((date(2025, 1, 1), date(2026, 12, 1))), view.rates,
                        lambda line: (line.month, getattr(line, keys)), accounts)
    expected = _reference(ledger, keys, accounts)
    assert {k: v.amount for k, v in derived.totals.items()} == {
        k: amount for k, (amount, _) in expected.items()}
    assert expected  # the comparison is not vacuous
    if keys == "category_id":  # counts are exact per category (a split spans categories)
        assert {k: v.count for k, v in derived.totals.items()} == {
            k: count for k, (_, count) in expected.items()}


def test_split_lines_count_by_their_categories_and_once(ledger: Ledger) -> None:
    view = LedgerView(db.session, ledger.scope, "USD")
    totals = summarize(view.lines((MARCH.start, MARCH.end)), view.rates,
                       lambda line: (line.category_id, line.kind)).totals
    groceries = totals[(ledger.groceries.id, "expense")]
    # -200 +50 (card), -100 (Superstore split), -60 -30 (one split transaction, counted once).
    assert groceries.amount == D("-340")
    assert groceries.count == 4
    assert totals[(None, "income")].amount == D("20")  # the uncategorized refund line
    assert totals[(None, "expense")].amount == D("-40")  # "Mystery"
    assert (ledger.moves.id, "transfer") not in totals


def test_merchants_count_a_split_once_and_only_its_spending(ledger: Ledger) -> None:
    q = LedgerQuery(ledger.scope, "USD", TODAY, MARCH)
    rows = {r.name: r for r in merchant_reads.top_merchants(db.session, q).by_amount}
    assert (rows["Corner shop"].spent, rows["Corner shop"].count) == (D("90"), 1)
    assert (rows["Market"].spent, rows["Market"].count) == (D("150"), 2)  # 200 less the refund
    assert (rows["Café"].spent, rows["Café"].count) == (D("120"), 1)  # EUR 100 at 1.20
    assert "Broker" not in rows  # a transfer-kind category is not spending


def test_month_sums_count_every_transaction_for_balances(ledger: Ledger) -> None:
    march = LedgerView(db.session, ledger.scope, "USD").month(MARCH.start)
    # Excluded spending and both halves of the transfer move money; a split counts whole.
    assert march.accounts[ledger.card.id] == D("-800")  # -200 +50 -80 +500 -1000 -70
    assert march.accounts[ledger.checking.id] == D("2010")  # 3000 -150 -500 -300 -40
    assert march.accounts[ledger.euro.id] == D("-100")


def test_balance_leaves_out_days_after_the_balance_date(ledger: Ledger) -> None:
    q = LedgerQuery(ledger.scope, "USD", TODAY, MARCH)
    card = {a.name: a for a in sheet.balances(db.session, q).accounts}["T Card"]
    assert card.balance == D("-980")  # the split on 20 March is after the 15th
    # Cash flow covers the whole range: the split spends 90 on groceries; its uncategorized
    # +20 line is income.
    flow = flow_reads.cashflow(db.session, q).period
    assert (flow.expense, flow.income) == (D("630"), D("3020"))


def test_custom_range_cutting_through_months(ledger: Ledger) -> None:
    q = LedgerQuery(ledger.scope, "USD", TODAY,
                                 DateRange(date(2026, 3, 5), date(2026, 3, 14)))
    flow = flow_reads.cashflow(db.session, q)
    # Refund +50 (5th), dining 80, Superstore 150, Café 120 (EUR at 1.20), Mystery 40.
    assert flow.period.expense == D("340")
    assert flow.months[-1].expense == D("630")  # the month chart still shows whole months
    spending = {r.name: r for r in spending_reads.category_spending(db.session, q).rows}
    assert spending["T Groceries"].spent == D("50")  # -100 split line, +50 refund


def test_months_are_cached_per_version_and_fetched_together(ledger: Ledger) -> None:
    cache = LedgerCache(MemoryStore())
    view = LedgerView(db.session, ledger.scope, "USD", cache)
    view.expect((date(2025, 3, 1), MARCH.start))
    with counting() as statements:
        march = list(view.lines((MARCH.start, MARCH.end)))
        february = list(view.lines((date(2026, 2, 1), date(2026, 2, 28))))
    summary_queries = [s for s in statements if "UNION ALL" in s]
    assert len(summary_queries) == 1  # the expected span came with the first request
    assert march and february

    again = LedgerView(db.session, ledger.scope, "USD", cache)
    with counting() as statements:
        assert list(again.lines((MARCH.start, MARCH.end))) == march
    assert not [s for s in statements if "UNION ALL" in s]

    db.session.add(Transaction(household_id=ledger.household_id, account_id=ledger.card.id,
                               date=date(2026, 3, 3), amount=D("-5"), merchant="Kiosk",
                               raw_description="KIOSK", locked_fields=[],
                               created_by_id=ledger.user_id))
    db.session.flush()  # bumps the ledger version: the next view reads fresh figures
    fresh = LedgerView(db.session, ledger.scope, "USD", cache)
    spent = summarize(fresh.lines((MARCH.start, MARCH.end)), fresh.rates,
                      lambda line: (line.kind,)).totals[("expense",)].amount
    before = summarize(march, fresh.rates, lambda line: (line.kind,)).totals[("expense",)]
    assert spent == before.amount - D("5")


def test_fetch_many_computes_only_what_is_missing() -> None:
    cache = LedgerCache(MemoryStore())
    asked: list[list[int]] = []

    def compute(missing: list[int]) -> dict[int, int]:
        asked.append(missing)
        return {m: m * 10 for m in missing}

    assert cache.fetch_many("1", 7, "m", [1, 2], compute) == {1: 10, 2: 20}
    assert cache.fetch_many("1", 7, "m", [2, 3], compute) == {2: 20, 3: 30}
    assert cache.fetch_many("1", 8, "m", [3], compute) == {3: 30}
    assert asked == [[1, 2], [3], [3]]


def test_redis_store_reads_and_writes_many_in_one_go(redis_url: str) -> None:
    from redis import Redis

    from finance_app.services.ledger.cache import RedisStore

    connection = Redis.from_url(redis_url)
    cache = LedgerCache(RedisStore(connection))
    months = [date(2026, 1, 1), date(2026, 2, 1)]
    computed = cache.fetch_many("3", 9, "ledger_month", months,
                                lambda missing: {m: (m, D("1.5")) for m in missing})
    again = cache.fetch_many("3", 9, "ledger_month", months,
                             lambda missing: pytest.fail("cached months were recomputed"))
    assert again == computed == {m: (m, D("1.5")) for m in months}
    assert len(connection.keys("ledgerly:ledger:3:9:ledger_month:*")) == 2
    connection.close()
