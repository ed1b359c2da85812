"""Badges household members earned: one row per member and badge, with the day it was earned."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, utcnow


class BadgeAward(Base):
    """A badge (a key of the rule registry, `services/badges/rules.py`) earned by a member.

    The unique key makes every award happen once, however often the evaluation job runs.
    """

    __tablename__ = "badge_awards"
    __table_args__ = (UniqueConstraint("household_id", "user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    # The day the household's data first met the badge's rule (not when the job noticed it).
    awarded_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
