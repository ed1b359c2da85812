"""The debt payoff planner: a pure function of debts, a strategy and an extra monthly amount.

No database, no Flask: the debts pages, `flask debts plan` and a later weekly email share it.

The rule, month by month in Decimal (the tests and the CLI follow it to the cent):

1. Interest = balance x APR / 1200, rounded half-up to the cent (the currency's quantum), is
   added to every unpaid debt.
2. The monthly budget is the sum of every debt's *starting* minimum plus the extra: a paid-off
   debt's minimum keeps working.
3. Each unpaid debt gets min(minimum, balance).
4. What is left goes to the unpaid debts in strategy order, spilling over to the next debt
   within the same month. Snowball: smallest starting balance first; avalanche: highest APR
   first; custom: the order given; ties by name.

A debt's `payoff_month` is the 1-based number of the month in which its balance reaches zero
(0 for a debt that starts at zero). A plan that cannot finish is "never": either a month in
which no debt was paid off and no balance went down (from then on every month repeats with
interest at least as high, so it would loop forever; this is found in the first such month), or
still owing after the 100-year cap (1,200 months).

"Minimums only" (the baseline the page compares against) is each debt paying its own minimum
and nothing more: no extra, and a paid-off debt's minimum is not passed on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from finance_app.money import CENT, ZERO

SNOWBALL, AVALANCHE, CUSTOM = "snowball", "avalanche", "custom"
STRATEGIES = (SNOWBALL, AVALANCHE, CUSTOM)
STRATEGY_LABELS = {SNOWBALL: "Snowball", AVALANCHE: "Avalanche", CUSTOM: "Custom order"}
MAX_MONTHS = 1200  # 100 years
MAX_APR = Decimal("100")
NEVER, CAPPED = "never", "capped"  # why a plan did not finish


class PlanInputError(ValueError):
    """A debt or an amount the planner cannot take; the message says which and why, `field`
    names what is wrong ("name", "balance", "apr", "minimum", "extra" or "strategy")."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class DebtSpec:
    """One debt as the planner sees it: what is owed, its APR in percent, its minimum."""

    name: str
    balance: Decimal
    apr: Decimal
    minimum: Decimal
    rank: int = 0  # position in a custom order (lower first)


class DebtMonth(NamedTuple):
    """One debt in one month of the schedule (a tuple: thousands are made per plan)."""

    name: str
    start_balance: Decimal
    interest: Decimal
    payment: Decimal
    end_balance: Decimal


@dataclass(frozen=True)
class Month:
    number: int  # 1-based
    debts: tuple[DebtMonth, ...]  # the debts unpaid at the start of the month, in input order

    @property
    def interest(self) -> Decimal:
        return sum((d.interest for d in self.debts), ZERO)

    @property
    def payment(self) -> Decimal:
        return sum((d.payment for d in self.debts), ZERO)


@dataclass(frozen=True)
class DebtResult:
    name: str
    start_balance: Decimal
    payoff_month: int | None  # None: not paid off
    interest: Decimal  # interest charged until paid off (or until the plan stopped)


@dataclass(frozen=True)
class Plan:
    strategy: str
    extra: Decimal
    budget: Decimal  # what goes to the debts each month (before the last months)
    order: tuple[str, ...]  # the strategy order the extra follows
    debts: tuple[DebtResult, ...]  # in input order
    schedule: tuple[Month, ...]
    stopped: str | None = None  # None when paid off; NEVER or CAPPED when it cannot finish

    @property
    def finished(self) -> bool:
        return self.stopped is None

    @property
    def months(self) -> int | None:
        """Months to debt-free; None when the plan cannot finish."""
        if not self.finished:
            return None
        return max((d.payoff_month or 0 for d in self.debts), default=0)

    @property
    def total_interest(self) -> Decimal:
        return sum((d.interest for d in self.debts), ZERO)

    @property
    def payoff_order(self) -> tuple[str, ...]:
        """Names in the order they are paid off, ties (same month) by name; unpaid ones last."""
        paid = [d for d in self.debts if d.payoff_month is not None]
        paid.sort(key=lambda d: (d.payoff_month or 0, d.name))
        return tuple(d.name for d in paid)

    def balances(self) -> list[tuple[int, tuple[Decimal, ...]]]:
        """(month, balance of each debt in input order) from month 0 (the start): the timeline."""
        index = {d.name: i for i, d in enumerate(self.debts)}
        current = [d.start_balance for d in self.debts]
        rows = [(0, tuple(current))]
        for month in self.schedule:
            for entry in month.debts:
                current[index[entry.name]] = entry.end_balance
            rows.append((month.number, tuple(current)))
        return rows


def debt_problems(debt: DebtSpec, quantum: Decimal = CENT) -> list[PlanInputError]:
    """Everything wrong with a debt, each naming its field; empty when it is one the planner
    (and a person) can mean."""
    problems = []
    if not debt.name or not debt.name.strip():
        problems.append(PlanInputError("A debt needs a name.", "name"))
    numbers = True
    for field, label, value in (("balance", "balance", debt.balance), ("apr", "APR", debt.apr),
                                ("minimum", "minimum payment", debt.minimum)):
        if not isinstance(value, Decimal) or not value.is_finite():
            problems.append(PlanInputError(f"The {label} must be a number.", field))
            numbers = False
    if not numbers:
        return problems
    if debt.balance < 0:
        problems.append(PlanInputError(
            "The balance cannot be negative: enter what you owe, e.g. 1250.00.", "balance"))
    elif debt.balance != debt.balance.quantize(quantum):
        problems.append(PlanInputError("The balance has more decimals than the currency has.",
                                       "balance"))
    if debt.apr < 0 or debt.apr > MAX_APR:
        problems.append(PlanInputError("The APR must be between 0 and 100 (percent a year).",
                                       "apr"))
    if debt.minimum <= 0:
        problems.append(PlanInputError("The minimum payment must be more than zero.", "minimum"))
    elif debt.minimum != debt.minimum.quantize(quantum):
        problems.append(PlanInputError(
            "The minimum payment has more decimals than the currency has.", "minimum"))
    return problems


def validate_debt(debt: DebtSpec, quantum: Decimal = CENT) -> None:
    """PlanInputError (the first problem) unless the debt is one the planner can take."""
    problems = debt_problems(debt, quantum)
    if problems:
        raise problems[0]


def validate_extra(extra: Decimal, quantum: Decimal = CENT) -> None:
    if not isinstance(extra, Decimal) or not extra.is_finite() or extra < 0:
        raise PlanInputError("The extra amount must be zero or more.", "extra")
    if extra != extra.quantize(quantum):
        raise PlanInputError("The extra amount has more decimals than the currency has.",
                             "extra")


def strategy_order(debts: Sequence[DebtSpec], strategy: str) -> list[int]:
    """Indexes of `debts` in the order the strategy pays the extra to them."""
    indexes = range(len(debts))
    if strategy == SNOWBALL:
        return sorted(indexes, key=lambda i: (debts[i].balance, debts[i].name))
    if strategy == AVALANCHE:
        return sorted(indexes, key=lambda i: (-debts[i].apr, debts[i].name))
    if strategy == CUSTOM:
        return sorted(indexes, key=lambda i: (debts[i].rank, debts[i].name))
    raise PlanInputError(f"Unknown strategy {strategy!r}: pick snowball, avalanche or custom.",
                         "strategy")


def plan_payoff(debts: Sequence[DebtSpec], strategy: str = SNOWBALL, extra: Decimal = ZERO,
                *, quantum: Decimal = CENT, max_months: int = MAX_MONTHS,
                rollover: bool = True) -> Plan:
    """The month-by-month plan of paying off `debts` (see the module docstring for the rule).

    `rollover=False` is "minimums only": each debt pays its own minimum, no extra, nothing
    passed on. Raises PlanInputError for a debt or amount that fails validation.
    """
    seen: set[str] = set()
    for debt in debts:
        validate_debt(debt, quantum)
        if debt.name in seen:
            raise PlanInputError(f"Two debts are called {debt.name!r}: give each its own name.",
                                 "name")
        seen.add(debt.name)
    names = [d.name for d in debts]
    validate_extra(extra, quantum)
    order = strategy_order(debts, strategy)
    count = len(debts)
    # Validated to fit the quantum; quantized so that figures read "7840.00", not "7840.0000".
    balances = [d.balance.quantize(quantum) for d in debts]
    minimums = [d.minimum.quantize(quantum) for d in debts]
    extra = extra.quantize(quantum)
    aprs = [d.apr for d in debts]
    twelve_hundred = Decimal(1200)
    interest_total = [ZERO] * count
    payoff: list[int | None] = [0 if b == 0 else None for b in balances]
    budget = sum(minimums, ZERO) + (extra if rollover else ZERO)
    schedule: list[Month] = []
    stopped: str | None = None
    month = 0
    unpaid = [i for i in range(count) if payoff[i] is None]
    while unpaid:
        if month >= max_months:
            stopped = CAPPED
            break
        month += 1
        starts = [balances[i] for i in unpaid]
        charges = []
        for i in unpaid:
            # balance x APR first, then / 1200: a half cent stays exactly a half cent.
            charge = (balances[i] * aprs[i] / twelve_hundred).quantize(quantum, ROUND_HALF_UP)
            charges.append(charge)
            interest_total[i] += charge
            balances[i] += charge
        paid = [ZERO] * count
        left = budget
        for i in unpaid:
            amount = minimums[i] if minimums[i] < balances[i] else balances[i]
            paid[i] = amount
            balances[i] -= amount
            left -= amount
        if rollover:
            for i in order:
                if left <= 0:
                    break
                if balances[i] > 0:  # paid-off debts (and debts at zero) have nothing to take
                    amount = left if left < balances[i] else balances[i]
                    paid[i] += amount
                    balances[i] -= amount
                    left -= amount
        schedule.append(Month(month, tuple(
            DebtMonth(names[i], starts[k], charges[k], paid[i], balances[i])
            for k, i in enumerate(unpaid))))
        progressed = False
        still = []
        for k, i in enumerate(unpaid):
            if balances[i] == 0:
                payoff[i] = month
                progressed = True
            else:
                still.append(i)
                if balances[i] < starts[k]:
                    progressed = True
        if not progressed:
            # Nothing went down: every later month pays the same and charges at least as much.
            stopped = NEVER
            break
        unpaid = still
    results = tuple(DebtResult(d.name, d.balance.quantize(quantum), payoff[i], interest_total[i])
                    for i, d in enumerate(debts))
    return Plan(strategy=strategy, extra=extra if rollover else ZERO, budget=budget,
                order=tuple(debts[i].name for i in order), debts=results,
                schedule=tuple(schedule), stopped=stopped)


def minimums_only(debts: Sequence[DebtSpec], *, quantum: Decimal = CENT,
                  max_months: int = MAX_MONTHS) -> Plan:
    """The baseline: each debt pays its own minimum until it is paid off, nothing more."""
    return plan_payoff(debts, SNOWBALL, ZERO, quantum=quantum, max_months=max_months,
                       rollover=False)
