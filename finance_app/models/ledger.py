"""The ledger: accounts, categories, tags, transactions with splits, transfers and attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, Money, Rate, utcnow

# Account types, and which side of the balance sheet each sits on.
ASSET_TYPES = ("checking", "savings", "cash", "investment", "other_asset")
LIABILITY_TYPES = ("credit_card", "loan", "other_liability")
ACCOUNT_TYPES = ASSET_TYPES + LIABILITY_TYPES
ACCOUNT_TYPE_LABELS = {
    "checking": "Checking",
    "savings": "Savings",
    "credit_card": "Credit card",
    "cash": "Cash",
    "loan": "Loan",
    "investment": "Investment",
    "other_asset": "Other asset",
    "other_liability": "Other liability",
}

# Category kinds: transfers are neither income nor spending.
INCOME, EXPENSE, TRANSFER = "income", "expense", "transfer"
CATEGORY_KINDS = (INCOME, EXPENSE, TRANSFER)

# Where a transaction came from.
SOURCE_MANUAL, SOURCE_IMPORT, SOURCE_PLAID = "manual", "import", "plaid"

# Fields a person can edit by hand; once edited, imports, syncs and rules leave them alone.
LOCKABLE_FIELDS = ("date", "amount", "merchant", "notes", "category", "tags", "excluded")


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(20), default="checking")
    institution: Mapped[str] = mapped_column(String(120), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    opening_balance: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    opening_date: Mapped[date | None] = mapped_column(Date)
    color: Mapped[str] = mapped_column(String(9), default="#4338ca")
    icon: Mapped[str] = mapped_column(String(40), default="bank")
    group_name: Mapped[str] = mapped_column(String(60), default="")
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    include_in_net_worth: Mapped[bool] = mapped_column(Boolean, default=True)
    # The member whose account it is; a private account (and its transactions) is seen by that
    # member alone, also in totals, search and exports.
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Linked accounts (Plaid): the provider's id and the balance it last reported.
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_MANUAL)
    external_id: Mapped[str | None] = mapped_column(String(120))
    synced_balance: Mapped[Decimal | None] = mapped_column(Money)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def is_liability(self) -> bool:
        return self.type in LIABILITY_TYPES

    @property
    def type_label(self) -> str:
        return ACCOUNT_TYPE_LABELS.get(self.type, self.type)


class Category(Base):
    """A two-level tree: a group (parent_id NULL) holds categories."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("household_id", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default=EXPENSE)
    color: Mapped[str] = mapped_column(String(9), default="#6b7280")
    icon: Mapped[str] = mapped_column(String(40), default="tag")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped[Category | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Category]] = relationship(back_populates="parent")

    @property
    def is_group(self) -> bool:
        return self.parent_id is None

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name


transaction_tags = Table(
    "transaction_tags",
    Base.metadata,
    Column(
        "transaction_id", ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    color: Mapped[str] = mapped_column(String(9), default="#64748b")


class ImportBatch(Base):
    """One file import: previewed, run as a job, and undoable as a whole."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    # The member who uploaded the file; the rows it imports record them as who added them.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), default="")
    file_format: Mapped[str] = mapped_column(String(10), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    mapping: Mapped[dict] = mapped_column(JSON, default=dict)
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_count: Mapped[int] = mapped_column(Integer, default=0)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reverted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The upload under UPLOAD_DIR while the import is being set up or runs; None once it ends.
    upload_key: Mapped[str | None] = mapped_column(String(80))
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    # Totals and balance lines left out on purpose (not errors).
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    # Why the whole import failed, in words for the user.
    failure: Mapped[str] = mapped_column(String(500), default="")


class Transaction(Base):
    __tablename__ = "transactions"
    __table_args__ = (
        # Idempotent ingestion: one row per provider id, one per file fingerprint, per account.
        UniqueConstraint("account_id", "external_id"),
        UniqueConstraint("account_id", "fingerprint"),
        Index("ix_transactions_household_date", "household_id", "date", "id"),
        Index("ix_transactions_household_category_date", "household_id", "category_id", "date"),
        Index("ix_transactions_account_date", "account_id", "date"),
        # Balances and net worth (migration 0010): per-account sums by day, index-only.
        Index(
            "ix_transactions_household_account_date_amount",
            "household_id", "account_id", "date", "amount", "is_pending",
        ),
        Index("ix_transactions_household_merchant", "household_id", "merchant"),
        # Dashboard and budgets (migration 0110): the ledger summary and the counting lines of
        # a date range are read from this index alone, never from the wide table rows.
        Index(
            "ix_transactions_ledger_lines",
            "household_id", "date", "account_id", "category_id", "amount", "is_excluded",
            "transfer_peer_id",
        ),
        # Transactions page (migration 0020): sort by amount and the |amount| range filter;
        # text search: one trigram GIN index per column on PostgreSQL (a BitmapOr of the three
        # serves ILIKE '%term%'; the planner ignores a multi-column GIN index for that), plain
        # indexes on SQLite, where a LIKE scan of one user's rows is fast enough.
        Index("ix_transactions_household_amount", "household_id", "amount", "id"),
        *(
            Index(f"ix_transactions_{column}_trgm", column, postgresql_using="gin",
                  postgresql_ops={column: "gin_trgm_ops"})
            for column in ("merchant", "raw_description", "notes")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The member who added or imported it (None for rows from before households, or a member
    # who has since left and deleted their user).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    date: Mapped[date] = mapped_column(Date)
    # Signed, in the account's currency: negative = money out, positive = money in.
    amount: Mapped[Decimal] = mapped_column(Money)
    raw_description: Mapped[str] = mapped_column(String(500), default="")
    merchant: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL")
    )
    is_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    is_excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_MANUAL)
    external_id: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL"), index=True
    )
    # The other half of a transfer between two of the household's accounts.
    transfer_peer_id: Mapped[int | None] = mapped_column(
        ForeignKey("transactions.id", ondelete="SET NULL"), index=True
    )
    # The provider's own category (e.g. Plaid's), a feature for the categorizer, never the answer.
    provider_category: Mapped[str] = mapped_column(String(120), default="")
    # How the category was decided: user / rule / history / model, and how sure it was.
    category_source: Mapped[str | None] = mapped_column(String(10))
    category_confidence: Mapped[float | None] = mapped_column(Float)
    # Names from LOCKABLE_FIELDS the user set by hand.
    locked_fields: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship()
    category: Mapped[Category | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=transaction_tags, lazy="selectin")
    splits: Mapped[list[SplitLine]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan", lazy="selectin"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan"
    )

    def is_locked(self, field: str) -> bool:
        return field in (self.locked_fields or [])

    def lock(self, *fields: str) -> None:
        self.locked_fields = sorted(set(self.locked_fields or []) | set(fields))

    @property
    def is_transfer(self) -> bool:
        return self.transfer_peer_id is not None

    @property
    def display_name(self) -> str:
        return self.merchant or self.raw_description


class SplitLine(Base):
    """One category line of a split transaction; the lines sum to the parent's amount."""

    __tablename__ = "split_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(200), default="")

    transaction: Mapped[Transaction] = relationship(back_populates="splits")
    category: Mapped[Category | None] = relationship()


class Attachment(Base):
    """A receipt stored under ATTACHMENT_DIR, served only to members who can see its transaction."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    transaction: Mapped[Transaction] = relationship(back_populates="attachments")


class ExchangeRate(Base):
    """How many units of `quote` one unit of `base` buys on `date` (a table the household keeps)."""

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("household_id", "base", "quote", "date"),
        Index("ix_exchange_rates_lookup", "household_id", "base", "quote", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Rate)
    source: Mapped[str] = mapped_column(String(20), default="manual")


class SavedView(Base):
    """A named transactions-page filter, stored as its query string."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("household_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
