"""The health score's figures for each month, read from the ledger core, budgets and debts, and
the score of each month (the page's history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from finance_app.db import DbSession
from finance_app.models.budget import MONTHLY
from finance_app.models.debt import Debt
from finance_app.models.ledger import Account
from finance_app.money import ZERO
from finance_app.services.budgets.budgets import compute_statuses
from finance_app.services.health_score.score import Figures, HealthScore, health_score
from finance_app.services.ledger.balances import MONTH as MONTH_ENDS
from finance_app.services.ledger.balances import net_worth_history
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.ledger.cashflow import monthly
from finance_app.services.ledger.periods import MONTH, DateRange, add_periods
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.ledger.summary import LedgerView
from finance_app.services.recurring.calendar import LATE, MISSED, PAID, bills_between
from finance_app.services.scope import Scope, scoped

CASH_TYPES = ("checking", "savings", "cash")
HISTORY_MONTHS = 12


@dataclass(frozen=True, slots=True)
class MonthScore:
    month: date  # the month's start
    figures: Figures
    score: HealthScore


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


def monthly_scores(session: DbSession, scope: Scope, base: str, today: date,
                   months: int = HISTORY_MONTHS,
                   cache: LedgerCache | None = None) -> list[MonthScore]:
    """The score at the end of each of the last `months` complete months, oldest first."""
    this_month = today.replace(day=1)
    last = add_periods(this_month, MONTH, -1)
    shown = [add_periods(last, MONTH, -k) for k in range(months - 1, -1, -1)]
    first = add_periods(shown[0], MONTH, -5)  # six months of spending before the first shown
    view = LedgerView(session, scope, base, cache)
    flows = {p.start.replace(day=1): p for p in monthly(
        session, LedgerQuery(scope, base, today, DateRange(first, this_month - timedelta(days=1))),
        view)}

    cash_ids = list(session.scalars(scoped(Account, scope).with_only_columns(Account.id).where(
        Account.type.in_(CASH_TYPES))))
    cash: dict[date, Decimal] = {}
    if cash_ids:
        history = net_worth_history(session, scope, base, MONTH_ENDS, start=shown[0],
                                    end=this_month - timedelta(days=1), account_ids=cash_ids)
        cash = {p.day.replace(day=1): p.net for p in history.points}
    minimums = sum((d.minimum_payment for d in session.scalars(
        scoped(Debt, scope).where(Debt.balance > 0))), ZERO)

    kept: dict[date, list[bool]] = {}
    for status in compute_statuses(session, scope, base, today, view=view):
        if status.period != MONTHLY:
            continue
        for period in status.history:
            kept.setdefault(period.start, []).append(period.spent <= period.available)

    # Bills and subscriptions (money out) due in each month shown, as the Bills page sees them.
    bills: dict[date, list[bool]] = {}
    for o in bills_between(session, scope, shown[0], this_month - timedelta(days=1), today):
        if o.expected_amount < 0 and o.status in (PAID, LATE, MISSED):
            bills.setdefault(o.day.replace(day=1), []).append(o.status == PAID)

    scores = []
    for month in shown:
        recent = [flows[m] for m in (add_periods(month, MONTH, -k) for k in (2, 1, 0))
                  if m in flows]
        usual = [flows[m].expense for m in (add_periods(month, MONTH, -k) for k in range(6))
                 if m in flows]
        budgets = kept.get(month, [])
        figures = Figures(
            currency=base,
            income=_mean([p.income for p in recent]),
            spending=_mean([p.expense for p in recent]),
            usual_spending=Decimal(median(usual)) if usual else ZERO,
            cash=cash.get(month, ZERO),
            debt_minimums=minimums,
            budgets_kept=sum(budgets) if budgets else None,
            budgets_total=len(budgets),
            bills_on_time=sum(bills.get(month, [])),
            bills_due=len(bills.get(month, [])),
        )
        scores.append(MonthScore(month, figures, health_score(figures)))
    return scores


def has_any_account(session: DbSession, scope: Scope) -> bool:
    return session.scalar(scoped(Account, scope).with_only_columns(Account.id).limit(1)) \
        is not None
