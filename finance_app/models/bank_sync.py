"""Bank sync with Plaid: linked Items (one institution login each), their accounts, and the
sync runs with the raw pages each fetched."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, Money, utcnow
from finance_app.models.ledger import Account

# An Item's state, as the items page shows it.
ITEM_GOOD, ITEM_NEEDS_REAUTH, ITEM_PENDING_DISCONNECT, ITEM_ERROR = (
    "good", "needs_reauth", "pending_disconnect", "error")
ITEM_STATUS_LABELS = {
    ITEM_GOOD: "Connected",
    ITEM_NEEDS_REAUTH: "Needs re-authentication",
    ITEM_PENDING_DISCONNECT: "Will disconnect soon: please re-authenticate",
    ITEM_ERROR: "Error",
}

# A sync run's state machine: pending -> syncing -> completed / failed / stale.
RUN_PENDING, RUN_SYNCING, RUN_COMPLETED, RUN_FAILED, RUN_STALE = (
    "pending", "syncing", "completed", "failed", "stale")
RUN_ACTIVE = (RUN_PENDING, RUN_SYNCING)


class PlaidItem(Base):
    """One institution login linked through Plaid; its access token is encrypted at rest."""

    __tablename__ = "plaid_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Plaid's item_id: one row per Item, whoever linked it.
    item_id: Mapped[str] = mapped_column(String(120), unique=True)
    access_token_encrypted: Mapped[str] = mapped_column(Text)
    institution_id: Mapped[str] = mapped_column(String(60), default="")
    institution_name: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default=ITEM_GOOD)
    error_code: Mapped[str] = mapped_column(String(80), default="")
    error_message: Mapped[str] = mapped_column(String(500), default="")
    # When `status` last changed: each change into a bad state is one "needs attention" alert.
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # /transactions/sync's cursor, saved only once everything before it is committed.
    cursor: Mapped[str | None] = mapped_column(Text)
    products: Mapped[list] = mapped_column(JSON, default=list)
    # Set while the user has yet to say which accounts the Item's accounts are.
    accounts_confirmed: Mapped[bool] = mapped_column(default=False)
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    accounts: Mapped[list[PlaidAccount]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="PlaidAccount.id")

    @property
    def status_label(self) -> str:
        return ITEM_STATUS_LABELS.get(self.status, self.status)

    @property
    def needs_reauth(self) -> bool:
        return self.status in (ITEM_NEEDS_REAUTH, ITEM_PENDING_DISCONNECT)


class PlaidAccount(Base):
    """An account of an Item as Plaid reports it, and the household account it feeds."""

    __tablename__ = "plaid_accounts"
    __table_args__ = (UniqueConstraint("item_id", "plaid_account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plaid_items.id", ondelete="CASCADE"))
    plaid_account_id: Mapped[str] = mapped_column(String(120))
    # None until matched (a new account, or one the user picked); unlinking keeps the account.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    official_name: Mapped[str] = mapped_column(String(200), default="")
    mask: Mapped[str] = mapped_column(String(10), default="")
    type: Mapped[str] = mapped_column(String(30), default="")
    subtype: Mapped[str] = mapped_column(String(30), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    current_balance: Mapped[Decimal | None] = mapped_column(Money)
    available_balance: Mapped[Decimal | None] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    item: Mapped[PlaidItem] = relationship(back_populates="accounts")
    account: Mapped[Account | None] = relationship()


class SyncRun(Base):
    """One sync of one Item: its state, what it changed, and why it failed if it did."""

    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_item_created", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plaid_items.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default=RUN_PENDING)
    # What asked for it: manual, daily, webhook, link, cli.
    trigger: Mapped[str] = mapped_column(String(12), default="manual")
    job_id: Mapped[str | None] = mapped_column(String(36))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    added_count: Mapped[int] = mapped_column(Integer, default=0)
    modified_count: Mapped[int] = mapped_column(Integer, default=0)
    removed_count: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str] = mapped_column(String(80), default="")
    error_message: Mapped[str] = mapped_column(String(500), default="")
    next_retry_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_active(self) -> bool:
        return self.status in RUN_ACTIVE


class SyncPage(Base):
    """A raw /transactions/sync response, kept before it is applied (for support and replay)."""

    __tablename__ = "sync_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    cursor: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
