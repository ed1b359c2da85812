"""Debts from a CSV file (`name,balance,apr,minimum`) for `flask debts plan`, and the lines the
command prints. Pure: no database, no Flask.

Printed lines, exactly:

- one line per debt, in the file's order: `NAME payoff_month=N interest=X.XX`, where N is the
  1-based month in which the debt reaches zero (0 for a debt that starts at zero) and X.XX the
  interest it is charged until then; a debt the plan never pays off prints
  `NAME payoff_month=never interest=never`;
- last line `months=N total_interest=X.XX order=NAME,NAME,...` (the payoff order, debts paid off
  in the same month by name), or the single word `never` when the plan cannot finish (a month
  in which nothing goes down, or still owing after 100 years).

A bad row is a PlanFileError naming its row (the header is row 1, the first debt row 2).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from finance_app.money import CENT, MoneyError, parse_amount
from finance_app.services.debts.planner import DebtSpec, Plan, PlanInputError, validate_debt

COLUMNS = ("name", "balance", "apr", "minimum")


class PlanFileError(ValueError):
    """A debts file the planner cannot read; the message names the row."""


def _number(text: str | None, label: str, row: int, name: str) -> Decimal:
    raw = (text or "").strip()
    if label == "APR":
        raw = raw.removesuffix("%").strip()
    try:
        return parse_amount(raw, ".")
    except MoneyError as exc:
        where = f"row {row}" + (f" ({name})" if name else "")
        raise PlanFileError(f"{where}: the {label} {raw!r} is not a number.") from exc


def read_debts_csv(text: str) -> list[DebtSpec]:
    """The debts of a CSV text; PlanFileError on the first bad row (nothing is planned)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PlanFileError(f"row 1: the header needs the columns {','.join(COLUMNS)} "
                            f"(missing: {','.join(missing)}).")
    reader.fieldnames = header
    debts: list[DebtSpec] = []
    seen: set[str] = set()
    for row_number, row in enumerate(reader, start=2):
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # a blank line
        name = (row.get("name") or "").strip()
        debt = DebtSpec(name, _number(row.get("balance"), "balance", row_number, name),
                        _number(row.get("apr"), "APR", row_number, name),
                        _number(row.get("minimum"), "minimum", row_number, name))
        try:
            validate_debt(debt, CENT)
        except PlanInputError as exc:
            where = f"row {row_number}" + (f" ({name})" if name else "")
            raise PlanFileError(f"{where}: {exc}") from exc
        if name in seen:
            raise PlanFileError(f"row {row_number} ({name}): another row has this name.")
        seen.add(name)
        debts.append(debt)
    return debts


def _cents(value: Decimal) -> str:
    return format(value.quantize(CENT), "f")


def plan_lines(plan: Plan) -> list[str]:
    """What `flask debts plan` prints for `plan` (see the module docstring)."""
    lines = []
    for debt in plan.debts:
        if debt.payoff_month is None:
            lines.append(f"{debt.name} payoff_month=never interest=never")
        else:
            lines.append(f"{debt.name} payoff_month={debt.payoff_month} "
                         f"interest={_cents(debt.interest)}")
    if plan.finished:
        lines.append(f"months={plan.months} total_interest={_cents(plan.total_interest)} "
                     f"order={','.join(plan.payoff_order)}")
    else:
        lines.append("never")
    return lines
