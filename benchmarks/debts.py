"""Benchmark: the payoff planner on 20 debts over 30 years (target: at most 50 ms a plan).

    .venv/bin/python benchmarks/debts.py [--repeat N]

Prints the plan's months and the best and median time of one `plan_payoff` call (the whole
month-by-month schedule in Decimal), for snowball and avalanche; and the plan page's whole
computation (the plan plus minimums-only and the other strategy).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finance_app.services.debts.planner import (
    AVALANCHE,
    SNOWBALL,
    DebtSpec,
    minimums_only,
    plan_payoff,
)

TARGET_MS = 50.0


def twenty_debts() -> list[DebtSpec]:
    """20 debts whose minimums barely beat their interest, so the snowball plan runs 30 years
    (360 months): a mortgage and 19 cards, loans and medical bills beside it."""
    debts = [DebtSpec("Mortgage", Decimal("700000.00"), Decimal("6.5"), Decimal("3800.00"))]
    for i in range(1, 20):
        balance = Decimal(1500 + 977 * i)
        apr = Decimal(3 + (i * 37) % 24) + Decimal("0.99")
        # The interest of the first month plus 0.08 % of the balance.
        minimum = (balance * apr / 1200 + balance * Decimal("0.0008")).quantize(Decimal("0.01"))
        debts.append(DebtSpec(f"Debt {i:02d}", balance, apr, minimum))
    return debts


def timed(fn, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    debts = twenty_debts()
    print(f"debts={len(debts)} repeat={args.repeat} target<={TARGET_MS:.0f} ms")
    for strategy in (SNOWBALL, AVALANCHE):
        best, median, plan = timed(lambda s=strategy: plan_payoff(debts, s), args.repeat)
        print(f"{strategy:9s} months={plan.months} ({plan.months / 12:.1f} years) "  # type: ignore[attr-defined]
              f"interest={plan.total_interest} best={best:.1f} ms median={median:.1f} ms "  # type: ignore[attr-defined]
              f"{'OK' if median <= TARGET_MS else 'OVER TARGET'}")

    def page() -> None:
        plan_payoff(debts, SNOWBALL)
        plan_payoff(debts, AVALANCHE)
        minimums_only(debts)

    best, median, _ = timed(page, args.repeat)
    print(f"plan page (plan + other strategy + minimums only) best={best:.1f} ms "
          f"median={median:.1f} ms")


if __name__ == "__main__":
    main()
