"""The dashboard: composes the ledger's reads (cash flow, spending, merchants, trend, balance
sheet, budgets) into its widgets, each cached per ledger version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from finance_app.db import DbSession
from finance_app.money import ZERO
from finance_app.services.budgets.budgets import BudgetStatus, list_statuses
from finance_app.services.ledger.balance_sheet import Balances, balances
from finance_app.services.ledger.cache import LedgerCache, NoCache
from finance_app.services.ledger.cashflow import Cashflow, Trend, cashflow, trend
from finance_app.services.ledger.merchants import Merchants, top_merchants
from finance_app.services.ledger.periods import (
    MONTH,
    add_periods,
    period_start,
)
from finance_app.services.ledger.query import LedgerQuery, latest_transaction_date, moved_to_latest
from finance_app.services.ledger.spending import (
    CategorySpending,
    CategoryTransactions,
    Comparison,
    category_spending,
    category_transactions,
    comparisons,
)
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.ledger.version import get_ledger_version
from finance_app.services.onboarding.checklist import Checklist, build_checklist

WIDGETS = ("summary", "cashflow", "categories", "merchants", "trends", "balances", "budgets")


@dataclass
class Dashboard:
    query: LedgerQuery
    cashflow: Cashflow | None = None
    categories: CategorySpending | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    merchants: Merchants | None = None
    trend: Trend | None = None
    balances: Balances | None = None
    budgets: list[BudgetStatus] = field(default_factory=list)
    selected: CategoryTransactions | None = None
    moved_to_latest: bool = False  # no data in the range asked for: showing the latest month
    checklist: Checklist | None = None

    @property
    def budget_total(self) -> tuple[Decimal, Decimal]:
        """(spent, available) over the monthly budgets."""
        monthly = [b for b in self.budgets if b.period == MONTH]
        return (sum((b.current.spent for b in monthly), ZERO),
                sum((b.current.available for b in monthly), ZERO))


def _months_shown(q: LedgerQuery, widgets: set[str]) -> list[tuple[date, date]]:
    """The month spans the summary widgets read, so one query can fetch them all at once."""
    spans = []
    if {"summary", "cashflow"} & widgets:
        last = period_start(q.range.end, MONTH)
        spans.append((add_periods(last, MONTH, -11), q.range.end))
    if {"summary", "cashflow", "categories"} & widgets:
        spans += [(r.start, r.end) for r in (q.range, q.range.previous(), q.range.year_ago())]
    if {"summary", "balances", "budgets"} & widgets:
        last = period_start(q.as_of, MONTH)
        spans.append((add_periods(last, MONTH, -11), q.as_of))
    return spans


def build_dashboard(session: DbSession, q: LedgerQuery, *, widgets: tuple[str, ...] = WIDGETS,
                    granularity: str = MONTH, category_key: str | None = None,
                    cache: LedgerCache | None = None, follow_latest: bool = False,
                    with_checklist: bool = False) -> Dashboard:
    """The widgets asked for (all for the full page), each from the cache when it can be.

    Widgets missing from the cache are derived from one shared ledger summary (LedgerView),
    whose months are themselves cached per ledger version. `follow_latest` (no period chosen)
    moves an empty range to the latest month with data; `with_checklist` adds the
    getting-started checklist. Both are cached per ledger version like the widgets.
    """
    cache = cache or NoCache()
    version = get_ledger_version(session, q.scope.household_id)
    moved = False
    if follow_latest:
        latest = cache.fetch(q.scope.cache_key, version, "latest_date", q.account_ids,
                             lambda: latest_transaction_date(session, q.scope, q.account_ids))
        q, moved = moved_to_latest(q, latest)
    view = LedgerView(session, q.scope, q.base_currency, cache, version)
    wanted = set(widgets)

    def cached(name: str, compute: Any, *extra: Any) -> Any:
        return cache.fetch(q.scope.cache_key, version, name, (*q.key(), *extra), compute)

    board = Dashboard(q, moved_to_latest=moved)
    if with_checklist:
        board.checklist = cache.fetch(q.scope.cache_key, version, "checklist", (),
                                      lambda: build_checklist(session, q.scope))
    view.expect(*_months_shown(q, wanted))  # read with the first widget the cache lacks
    if {"summary", "cashflow"} & wanted:
        board.cashflow = cached("cashflow", lambda: cashflow(session, q, view))
    if "categories" in wanted:
        board.categories = cached("categories", lambda: category_spending(session, q, view))
        board.comparisons = comparisons(board.categories)
    if "merchants" in wanted:
        board.merchants = cached("merchants", lambda: top_merchants(session, q, view))
    if "trends" in wanted:
        board.trend = cached("trend", lambda: trend(session, q, granularity, view), granularity)
    if {"summary", "balances"} & wanted:
        board.balances = cached("balances", lambda: balances(session, q, view))
    if {"summary", "budgets"} & wanted:
        board.budgets = list_statuses(session, q.scope, q.base_currency, q.as_of,
                                      q.account_ids, cache=cache, view=view)
    if category_key:
        board.selected = cached(
            "category_transactions",
            lambda: category_transactions(session, q, category_key), category_key,
        )
    return board
