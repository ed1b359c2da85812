"""Savings goals of a household: target, linked accounts, contributions by hand, milestones."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, Money, utcnow
from finance_app.models.ledger import Account

# "emergency_fund" is also read by the badges feature: keep the value stable.
GOAL_KINDS = ("emergency_fund", "vacation", "home", "car", "education", "custom")
GOAL_KIND_LABELS = {
    "emergency_fund": "Emergency fund",
    "vacation": "Vacation",
    "home": "Home",
    "car": "Car",
    "education": "Education",
    "custom": "Custom",
}
# The percentages celebrated once per goal.
MILESTONE_PERCENTS = (25, 50, 75, 100)


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="custom")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    target_amount: Mapped[Decimal] = mapped_column(Money)
    target_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    links: Mapped[list[GoalAccount]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", passive_deletes=True,
        order_by="GoalAccount.id")
    contributions: Mapped[list[GoalContribution]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", passive_deletes=True,
        order_by="GoalContribution.day")

    @property
    def kind_label(self) -> str:
        return GOAL_KIND_LABELS.get(self.kind, self.kind)


class GoalAccount(Base):
    """An account funding a goal: all of its balance (amount None) or a set amount of it."""

    __tablename__ = "goal_accounts"
    __table_args__ = (UniqueConstraint("goal_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    # None: the whole balance counts; otherwise at most this much of it.
    amount: Mapped[Decimal | None] = mapped_column(Money)

    goal: Mapped[Goal] = relationship(back_populates="links")
    account: Mapped[Account] = relationship()


class GoalContribution(Base):
    """Money put toward a goal by hand (negative: taken back out)."""

    __tablename__ = "goal_contributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="contributions")


class GoalMilestone(Base):
    """A milestone a goal reached: one row per goal and percentage, so it is celebrated once."""

    __tablename__ = "goal_milestones"
    __table_args__ = (UniqueConstraint("goal_id", "percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    percent: Mapped[int] = mapped_column(Integer)
    reached_on: Mapped[date] = mapped_column(Date)
    # When the confetti was shown (on the next page view after reaching it); None: not yet.
    celebrated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When its email went out (re-running the email job sends nothing twice); None: not sent.
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    goal: Mapped[Goal] = relationship()
