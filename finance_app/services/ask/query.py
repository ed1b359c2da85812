"""The structured reading of a question: what to measure, over which lines and dates."""

from __future__ import annotations

from dataclasses import dataclass

from finance_app.services.ledger.periods import DateRange

SPENT, EARNED, COUNT, AVERAGE = "spent", "earned", "count", "average"
BIGGEST, TOP_CATEGORY, LAST, COMPARISON = "biggest", "top_category", "last", "comparison"
MEASURES = (SPENT, EARNED, COUNT, AVERAGE, BIGGEST, TOP_CATEGORY, LAST, COMPARISON)
BY_CATEGORY = "category"

MEASURE_WORDS = {
    SPENT: "total spent", EARNED: "total earned", COUNT: "number of transactions",
    AVERAGE: "average transaction", BIGGEST: "biggest purchases",
    TOP_CATEGORY: "largest spending category", LAST: "last time",
}


@dataclass(frozen=True)
class Named:
    """A row of the household's own (a category or an account) as the question named it."""

    id: int
    name: str


@dataclass(frozen=True)
class Subject:
    """What one figure covers: some categories, one merchant, some accounts, a date range."""

    range: DateRange
    range_label: str
    categories: tuple[Named, ...] = ()
    merchant: str = ""
    accounts: tuple[Named, ...] = ()

    @property
    def label(self) -> str:
        names = [c.name for c in self.categories] + ([self.merchant] if self.merchant else [])
        what = " + ".join(names) if names else "Everything"
        if self.accounts:
            what += f" ({', '.join(a.name for a in self.accounts)})"
        return what


@dataclass(frozen=True)
class AskQuery:
    """A question read: `measure` of `subject`; a comparison also has `versus` and measures
    `basis` (spent or earned) on both sides; `grouping` is what a "largest" groups by."""

    measure: str
    subject: Subject
    versus: Subject | None = None
    basis: str = SPENT
    grouping: str | None = None

    @property
    def interpretation(self) -> str:
        """The reading in words: "Restaurants, 1-31 Oct 2026, total spent"."""
        if self.versus is not None:
            a, b = self.subject, self.versus
            if a.label == b.label:
                sides = f"{a.label}, {a.range_label} vs {b.range_label}"
            elif a.range == b.range:
                sides = f"{a.label} vs {b.label}, {a.range_label}"
            else:
                sides = f"{a.label}, {a.range_label} vs {b.label}, {b.range_label}"
            return f"{sides}, {MEASURE_WORDS[self.basis]}"
        words = MEASURE_WORDS[self.measure]
        if self.measure in (COUNT, AVERAGE, LAST) and self.basis == EARNED:
            words = {COUNT: "number of payments received", AVERAGE: "average payment received",
                     LAST: "last payment received"}[self.measure]
        return f"{self.subject.label}, {self.subject.range_label}, {words}"
