"""Debts a household is paying off: balance, APR and minimum, optionally a linked account."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, ExactDecimal, Money, utcnow
from finance_app.models.ledger import Account

DEBT_KINDS = ("credit_card", "student", "auto", "mortgage", "personal", "medical", "other")
DEBT_KIND_LABELS = {
    "credit_card": "Credit card",
    "student": "Student loan",
    "auto": "Auto loan",
    "mortgage": "Mortgage",
    "personal": "Personal loan",
    "medical": "Medical",
    "other": "Other",
}
# The account types a debt may follow: its balance then comes from the ledger.
LINKABLE_ACCOUNT_TYPES = ("loan", "credit_card")


class Debt(Base):
    __tablename__ = "debts"
    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # What is owed, as a positive amount; unused while an account is linked (the ledger decides).
    balance: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Percent a year, e.g. 19.99; exact on every database.
    apr: Mapped[Decimal] = mapped_column(ExactDecimal(7, 4), default=Decimal("0"))
    minimum_payment: Mapped[Decimal] = mapped_column(Money)
    # Position in a custom payoff order (lower first; ties by name).
    custom_rank: Mapped[int] = mapped_column(Integer, default=0)
    # A loan or credit-card account of the household whose balance this debt follows.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    account: Mapped[Account | None] = relationship()

    @property
    def kind_label(self) -> str:
        return DEBT_KIND_LABELS.get(self.kind, self.kind)
