"""What one saving recommendation is: its stable key (what a dismissal remembers), its kind, the
words and numbers shown, the amount it is about (a month's or a year's, as its detail says), its
rank (what it is worth a month, for the order) and the transaction filter that shows the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Recommendation:
    key: str
    kind: str
    title: str
    detail: str
    amount: Decimal
    rank: int
    link_args: dict[str, str] = field(default_factory=dict)

    def with_detail(self, extra: str) -> Recommendation:
        return Recommendation(self.key, self.kind, self.title, self.detail + extra, self.amount,
                              self.rank, self.link_args)
