"""What a report is asked for: period, kind and filters, as plain data a job can store as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from finance_app.services.errors import ValidationFailed

ALL = "all"
SUMMARY, CATEGORIES, MONTHLY, CASHFLOW = "summary", "categories", "monthly", "cashflow"
BUDGETS, NET_WORTH, MERCHANTS, TAX = "budgets", "net_worth", "merchants", "tax"
KINDS = {
    ALL: "Everything",
    SUMMARY: "Summary",
    CATEGORIES: "Spending by category",
    MONTHLY: "Income vs expense by month",
    CASHFLOW: "Cash flow",
    BUDGETS: "Budget vs actual",
    NET_WORTH: "Net worth over time",
    MERCHANTS: "Merchants",
    TAX: "Tax summary",
}
SECTION_ORDER = (SUMMARY, CATEGORIES, MONTHLY, CASHFLOW, BUDGETS, NET_WORTH, MERCHANTS, TAX)
# The longest period a report covers: ten years of months is already a long PDF.
MAX_DAYS = 3700


class BadReportPeriod(ValidationFailed):
    """The report's dates are not a period."""


@dataclass(frozen=True)
class ReportParams:
    start: date
    end: date
    kind: str = ALL
    account_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    merchant: str = ""
    # "" everyone's, "me", or a member's user id (as the dashboard's "whose" filter).
    member: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise BadReportPeriod("The end date is before the start date.")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise BadReportPeriod("A report covers at most ten years; choose a shorter period.")
        if self.kind not in KINDS:
            raise BadReportPeriod(f"There is no report of kind {self.kind!r}.")

    @property
    def sections(self) -> tuple[str, ...]:
        return SECTION_ORDER if self.kind == ALL else (self.kind,)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "kind": self.kind,
                "account_ids": list(self.account_ids), "category_ids": list(self.category_ids),
                "tag_ids": list(self.tag_ids), "merchant": self.merchant, "member": self.member}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportParams:
        return cls(
            start=date.fromisoformat(data["start"]), end=date.fromisoformat(data["end"]),
            kind=data.get("kind", ALL),
            account_ids=tuple(int(i) for i in data.get("account_ids", ())),
            category_ids=tuple(int(i) for i in data.get("category_ids", ())),
            tag_ids=tuple(int(i) for i in data.get("tag_ids", ())),
            merchant=str(data.get("merchant", "")), member=str(data.get("member", "")),
        )
