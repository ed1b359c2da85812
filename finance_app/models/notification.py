"""In-app notifications (the bell in the navbar), the per-household ledger version and the
per-month stamps of the ledger summary."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # What produced it, e.g. "budget.threshold"; features filter and style by it.
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class LedgerVersion(Base):
    """A token that changes whenever a household's ledger changes; cache keys include it."""

    __tablename__ = "ledger_versions"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # Changes when a write may have changed every month of the ledger summary (a category's
    # kind, an account's currency, a bulk statement): the months' cache keys include it.
    summary_base: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LedgerMonthStamp(Base):
    """A token that changes whenever a write touches one calendar month of a household's
    transactions, so a cached month of the summary survives writes to other months."""

    __tablename__ = "ledger_month_stamps"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    stamp: Mapped[int] = mapped_column(BigInteger)
