"""Budgets: create and edit them, their per-period amounts, rollover, status, history, suggestions.

Spending against a budget is the net outflow (refunds reduce it) of the budget's category, or of
every category in the group when the budget is on a group, counted by the rules of ledger.lines.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from finance_app.db import DbSession
from finance_app.models.budget import BUDGET_PERIODS, MONTHLY, WEEKLY, YEARLY, Budget, BudgetAmount
from finance_app.models.ledger import EXPENSE, Category
from finance_app.models.user import User
from finance_app.money import ZERO, quantize
from finance_app.services.errors import ValidationFailed
from finance_app.services.households.membership import member_scope
from finance_app.services.ledger.cache import LedgerCache, NoCache
from finance_app.services.ledger.lines import LedgerFilter, aggregate, bucket, dialect_of
from finance_app.services.ledger.periods import add_periods, period_end, period_start
from finance_app.services.ledger.summary import LedgerView, summarize
from finance_app.services.scope import Scope, owned, scope_filter, scoped

PERIOD_LABELS = {WEEKLY: "Weekly", MONTHLY: "Monthly", YEARLY: "Yearly"}
# Months of history the suggested amount looks at.
SUGGESTION_MONTHS = 6


class BudgetExists(ValidationFailed):
    """That category already has a budget for this period."""


class NotAnExpenseCategory(ValidationFailed):
    """Budgets are for spending categories (or groups of them)."""


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    budgeted: Decimal
    carried: Decimal
    spent: Decimal

    @property
    def available(self) -> Decimal:
        return self.budgeted + self.carried

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def percent(self) -> int:
        """Share of what is available already spent, in whole percent (capped for display)."""
        if self.available <= 0:
            return 100 if self.spent > 0 else 0
        return int(min(self.spent * 100 / self.available, Decimal(999)))

    @property
    def state(self) -> str:
        if self.spent > self.available or (self.available <= 0 < self.spent):
            return "over"
        if self.available > 0 and self.spent * 100 >= self.available * 90:
            return "danger"
        if self.available > 0 and self.spent * 100 >= self.available * 80:
            return "warning"
        return "ok"


@dataclass(frozen=True)
class BudgetStatus:
    """A budget in one period, with what it looked like before (plain data, cacheable)."""

    budget_id: int
    category_id: int
    category_name: str
    category_color: str
    is_group: bool
    period: str
    amount: Decimal
    rollover: bool
    rollover_overspend: bool
    current: PeriodFigures
    history: tuple[PeriodFigures, ...]
    suggested: Decimal | None

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period, self.period)


# ------------------------------------------------------------------ writes


def _expense_category(session: DbSession, scope: Scope, category_id: object) -> Category:
    category = owned(session, Category, category_id, scope)
    if category.kind != EXPENSE:
        raise NotAnExpenseCategory()
    return category


def _check_fields(period: str, amount: Decimal) -> None:
    if period not in BUDGET_PERIODS:
        raise ValidationFailed("Choose weekly, monthly or yearly.")
    if amount <= 0:
        raise ValidationFailed("A budget needs an amount above zero.")


def create_budget(session: DbSession, scope: Scope, category_id: object, period: str,
                  amount: Decimal, *, rollover: bool = False, rollover_overspend: bool = False,
                  today: date) -> Budget:
    category = _expense_category(session, scope, category_id)
    _check_fields(period, amount)
    duplicate = session.scalars(
        scoped(Budget, scope).where(Budget.category_id == category.id, Budget.period == period)
    ).first()
    if duplicate is not None:
        raise BudgetExists()
    budget = Budget(household_id=scope.household_id, category_id=category.id, period=period,
        amount=amount,
                    rollover=rollover, rollover_overspend=rollover_overspend,
                    start_date=period_start(today, period))
    session.add(budget)
    session.flush()
    return budget


def update_budget(session: DbSession, scope: Scope, budget_id: object, *, amount: Decimal,
                  rollover: bool, rollover_overspend: bool) -> Budget:
    budget = owned(session, Budget, budget_id, scope)
    _check_fields(budget.period, amount)
    budget.amount = amount
    budget.rollover, budget.rollover_overspend = rollover, rollover_overspend
    session.flush()
    return budget


def delete_budget(session: DbSession, scope: Scope, budget_id: object) -> None:
    session.delete(owned(session, Budget, budget_id, scope))
    session.flush()


def amount_for(budget: Budget, start: date) -> Decimal:
    """What is budgeted in the period starting at `start`: its own amount, else the standing one."""
    for row in budget.period_amounts:
        if row.period_start == start:
            return row.amount
    return budget.amount


def set_period_amount(session: DbSession, scope: Scope, budget_id: object, start: date,
                      amount: Decimal) -> Budget:
    """Budget `amount` for the one period holding `start` (other periods keep theirs)."""
    budget = owned(session, Budget, budget_id, scope)
    if amount < 0:
        raise ValidationFailed("A budget cannot be negative.")
    start = period_start(start, budget.period)
    for row in budget.period_amounts:
        if row.period_start == start:
            row.amount = amount
            break
    else:
        budget.period_amounts.append(
            BudgetAmount(household_id=scope.household_id, budget_id=budget.id,
                         period_start=start, amount=amount)
        )
    session.flush()
    return budget


def copy_last_period(session: DbSession, scope: Scope, today: date) -> int:
    """Give every budget's current period the amount its previous period had; returns changes."""
    changed = 0
    for budget in session.scalars(scoped(Budget, scope)):
        current = period_start(today, budget.period)
        previous = amount_for(budget, add_periods(current, budget.period, -1))
        if amount_for(budget, current) != previous:
            set_period_amount(session, scope, budget.id, current, previous)
            changed += 1
    return changed


def list_budgets(session: DbSession, scope: Scope) -> list[Budget]:
    return list(session.scalars(scoped(Budget, scope).order_by(Budget.period, Budget.id)))


def list_expense_categories(session: DbSession, scope: Scope) -> list[Category]:
    """Groups and categories a budget can be put on, groups first then their children."""
    rows = list(session.scalars(
        scoped(Category, scope).where(Category.kind == EXPENSE)
        .order_by(Category.position, Category.name)
    ))
    groups = [c for c in rows if c.parent_id is None]
    ordered: list[Category] = []
    for group in groups:
        ordered.append(group)
        ordered.extend(c for c in rows if c.parent_id == group.id)
    ordered.extend(c for c in rows if c not in ordered)
    return ordered


# ------------------------------------------------------------------ figures


def _spending_by_period(session: DbSession, scope: Scope, base: str, granularity: str,
                        first: date, last: date, account_ids: tuple[int, ...],
                        view: LedgerView | None = None) -> dict[tuple[date, str, int], Decimal]:
    """Net spending per (period start, "c", category id) and (period start, "g", group id).

    Months and years come from the ledger summary; weeks cut through months, so they are counted
    from their days.
    """
    view = view or LedgerView(session, scope, base)
    if granularity == WEEKLY:
        dialect = dialect_of(session)
        agg = aggregate(
            session, LedgerFilter(scope, first, last, account_ids), view.rates,
            lambda ln: [bucket(ln.c.date, granularity, dialect), ln.c.category_id],
            lambda ln: [ln.c.kind == EXPENSE],
        )
    else:
        agg = summarize(
            view.lines((first, last)), view.rates,
            lambda line: ((period_start(line.month, granularity), line.category_id)
                          if line.kind == EXPENSE else None),
            account_ids,
        )
    groups = view.lookups.categories
    out: dict[tuple[date, str, int], Decimal] = defaultdict(lambda: ZERO)
    for (start, category_id), total in agg.totals.items():
        start = start if isinstance(start, date) else date.fromisoformat(str(start))
        if category_id is None:
            continue  # uncategorized spending belongs to no budget
        out[(start, "c", category_id)] += -total.amount
        group_id = groups.get(category_id, (EXPENSE, category_id))[1]
        if group_id != category_id:
            out[(start, "g", group_id)] += -total.amount
    return out


def _spent(spending: dict, start: date, category_id: int, is_group: bool) -> Decimal:
    own = spending.get((start, "c", category_id), ZERO)
    return own + (spending.get((start, "g", category_id), ZERO) if is_group else ZERO)


def _suggest(monthly: list[Decimal], period: str) -> Decimal | None:
    """Median monthly spending of the last six months, scaled to the budget's period."""
    median = Decimal(statistics.median(monthly)) if monthly else ZERO
    if median <= 0:
        return None  # mostly quiet months: there is nothing to suggest
    scaled = {WEEKLY: median * 12 / 52, MONTHLY: median, YEARLY: median * 12}[period]
    return max(scaled, ZERO).quantize(Decimal(1), rounding=ROUND_CEILING)


def compute_statuses(session: DbSession, scope: Scope, base: str, today: date,
                     account_ids: tuple[int, ...] = (),
                     view: LedgerView | None = None) -> list[BudgetStatus]:
    budgets = list(session.scalars(
        scoped(Budget, scope).order_by(Budget.period, Budget.id)
        .options(selectinload(Budget.period_amounts), joinedload(Budget.category))
    ))
    if not budgets:
        return []
    view = view or LedgerView(session, scope, base)
    spending: dict[str, dict] = {}
    for granularity in {b.period for b in budgets} | {MONTHLY}:
        current = period_start(today, granularity)
        starts = [period_start(b.start_date, granularity) for b in budgets
                  if b.period == granularity]
        first = min([*starts, add_periods(current, granularity, -11)])
        if granularity == MONTHLY:
            first = min(first, add_periods(period_start(today, MONTHLY), MONTHLY,
                                           -SUGGESTION_MONTHS))
        spending[granularity] = _spending_by_period(
            session, scope, base, granularity, first, period_end(current, granularity),
            account_ids, view,
        )
    this_month = period_start(today, MONTHLY)
    last_months = [add_periods(this_month, MONTHLY, -n) for n in range(SUGGESTION_MONTHS, 0, -1)]
    statuses = []
    for budget in budgets:
        category = budget.category
        is_group = category.parent_id is None
        current = period_start(today, budget.period)
        first = min(period_start(budget.start_date, budget.period),
                    add_periods(current, budget.period, -11))
        rollover_from = period_start(budget.start_date, budget.period)
        history: list[PeriodFigures] = []
        carried = ZERO
        start = first
        while start <= current:
            figures = PeriodFigures(
                start=start, end=period_end(start, budget.period),
                budgeted=amount_for(budget, start),
                carried=carried if start > rollover_from else ZERO,
                spent=quantize(_spent(spending[budget.period], start, category.id, is_group)),
            )
            history.append(figures)
            left = figures.remaining if start >= rollover_from else ZERO
            carried = left if (left > 0 and budget.rollover) or (
                left < 0 and budget.rollover_overspend) else ZERO
            start = add_periods(start, budget.period, 1)
        monthly = [_spent(spending[MONTHLY], m, category.id, is_group) for m in last_months]
        statuses.append(BudgetStatus(
            budget_id=budget.id, category_id=category.id, category_name=category.name,
            category_color=category.color, is_group=is_group, period=budget.period,
            amount=budget.amount, rollover=budget.rollover,
            rollover_overspend=budget.rollover_overspend, current=history[-1],
            history=tuple(history[-12:]), suggested=_suggest(monthly, budget.period),
        ))
    return statuses


def list_statuses(session: DbSession, scope: Scope, base: str, today: date,
                  account_ids: tuple[int, ...] = (), cache: LedgerCache | None = None,
                  view: LedgerView | None = None) -> list[BudgetStatus]:
    """Every budget's current period with rollover, history and suggestion (cached per version).

    `view` shares the request's ledger summary (the dashboard passes its own).
    """
    cache = cache or NoCache()
    view = view or LedgerView(session, scope, base, cache)
    return cache.fetch(scope.cache_key, view.version, "budget_statuses", (base, today, account_ids),
                       lambda: compute_statuses(session, scope, base, today, account_ids,
                                                view))


@dataclass(frozen=True)
class ReportRow:
    start: date
    end: date
    budgeted: Decimal
    spent: Decimal

    @property
    def difference(self) -> Decimal:
        return self.budgeted - self.spent


def budget_vs_actual(statuses: list[BudgetStatus], period: str,
                     budget_id: int | None = None) -> list[ReportRow]:
    """Budgeted (including rollover) against spent, period by period, summed over budgets."""
    rows: dict[date, list[Decimal]] = {}
    for status in statuses:
        if status.period != period or (budget_id is not None and status.budget_id != budget_id):
            continue
        for figures in status.history:
            row = rows.setdefault(figures.start, [ZERO, ZERO])
            row[0] += figures.available
            row[1] += figures.spent
    return [ReportRow(start, period_end(start, period), b, s)
            for start, (b, s) in sorted(rows.items())]


def get_budget_ids(session: DbSession, scope: Scope) -> list[int]:
    return list(session.scalars(select(Budget.id).where(scope_filter(Budget, scope))))


def seed_demo_budgets(session: DbSession, user: User) -> str:
    """Demo: monthly budgets on the five busiest spending groups, sized from their history."""
    from finance_app.services.ledger.periods import user_today

    scope = member_scope(session, user)
    if session.scalars(scoped(Budget, scope)).first() is not None:
        return "Budgets: already there"
    today = user_today(user.timezone)
    this_month = period_start(today, MONTHLY)
    first = add_periods(this_month, MONTHLY, -SUGGESTION_MONTHS)
    spending = _spending_by_period(session, scope, user.base_currency, MONTHLY, first,
                                   this_month - timedelta(days=1), ())
    groups = [c for c in list_expense_categories(session, scope) if c.parent_id is None]
    months = [add_periods(first, MONTHLY, n) for n in range(SUGGESTION_MONTHS)]
    sized = [(_suggest([_spent(spending, m, g.id, True) for m in months], MONTHLY), g)
             for g in groups]
    busiest = sorted(((s, g) for s, g in sized if s), key=lambda p: -p[0])[:5]
    for n, (suggested, group) in enumerate(busiest):
        # A little under the usual spending for one of them, so the demo shows an alert.
        amount = (suggested * Decimal("0.8") if n == 0 else suggested * Decimal("1.1"))
        amount = (amount / 10).quantize(Decimal(1), rounding=ROUND_CEILING) * 10
        create_budget(session, scope, group.id, MONTHLY, amount, rollover=n % 2 == 1,
                      today=add_periods(this_month, MONTHLY, -3))
    from finance_app.services.budgets.alerts import check_budget_alerts

    alerts = check_budget_alerts(session, scope.household_id, today)
    return f"Budgets: {len(busiest)} monthly budgets, {len(alerts)} alert(s) in the bell"
