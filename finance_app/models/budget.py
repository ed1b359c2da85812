"""Budgets per category or category group, their per-period amounts and the alerts they fired."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, Money, utcnow
from finance_app.models.ledger import Category

WEEKLY, MONTHLY, YEARLY = "weekly", "monthly", "yearly"
BUDGET_PERIODS = (WEEKLY, MONTHLY, YEARLY)
# Shares of a budget that raise an alert, each at most once per budget and period.
ALERT_THRESHOLDS = (80, 90, 100)


class Budget(Base):
    """A spending limit for one category, or a whole group when the category is a group."""

    __tablename__ = "budgets"
    __table_args__ = (UniqueConstraint("household_id", "category_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(10), default=MONTHLY)
    # The standing amount, for every period without an amount of its own.
    amount: Mapped[Decimal] = mapped_column(Money)
    # Carry what is left into the next period; carry overspending (a negative) too.
    rollover: Mapped[bool] = mapped_column(Boolean, default=False)
    rollover_overspend: Mapped[bool] = mapped_column(Boolean, default=False)
    # Rollover accumulates from the period containing this date.
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(lazy="joined")
    period_amounts: Mapped[list[BudgetAmount]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", lazy="selectin",
        order_by="BudgetAmount.period_start",
    )


class BudgetAmount(Base):
    """The amount of one period when it differs from the budget's standing amount."""

    __tablename__ = "budget_amounts"
    __table_args__ = (UniqueConstraint("budget_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)

    budget: Mapped[Budget] = relationship(back_populates="period_amounts")


class BudgetAlert(Base):
    """A threshold a budget crossed in a period; the unique key makes each fire exactly once."""

    __tablename__ = "budget_alerts"
    __table_args__ = (
        UniqueConstraint("budget_id", "period_start", "threshold"),
        Index("ix_budget_alerts_household_id", "household_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    threshold: Mapped[int] = mapped_column(Integer)
    spent: Mapped[Decimal] = mapped_column(Money)
    available: Mapped[Decimal] = mapped_column(Money)
    # Set when this alert was the one announced (a jump past several thresholds announces one).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL")
    )
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    budget: Mapped[Budget] = relationship()
