"""The weekly summary email's send rows: one per member and week, claimed before sending."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, utcnow
from finance_app.models.user import User

# pending: claimed, being sent or waiting for its retry at next_attempt_at; sent; failed: given
# up (the address bounced, or every attempt failed).
PENDING, SENT, FAILED = "pending", "sent", "failed"


class WeeklySummarySend(Base):
    """A member's weekly summary for the week starting `week_start` (their local Monday).

    The unique (user_id, week_start) is what makes it one email per member and week: a run
    inserts and commits the row before sending, and a run that cannot insert it skips.
    """

    __tablename__ = "weekly_summary_sends"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A pending row's next try: the retry after a failure, or, while an attempt runs, when that
    # attempt counts as lost (its worker died) and another run may take it over.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(User.email, "set")
def _forget_bounce_on_new_address(user: User, value: Any, old: Any, _initiator: Any) -> None:
    # A bounce belongs to the address that bounced: a new address gets the weekly email again.
    if isinstance(old, str) and value != old:
        user.email_bounced_at = None
