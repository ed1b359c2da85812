"""Categorization engine state: rules, review suggestions, merchant memory, labels, user models."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, Money, utcnow

MATCH_ALL, MATCH_ANY = "all", "any"


class Rule(Base):
    """A user's rule: conditions (ALL or ANY) -> actions, applied in `position` order."""

    __tablename__ = "rules"
    __table_args__ = (Index("ix_rules_household_position", "household_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    match: Mapped[str] = mapped_column(String(3), default=MATCH_ALL)
    # [{"field": "description"|"merchant"|"amount"|"account", "op": ..., "value": ...}, ...]
    conditions: Mapped[list] = mapped_column(JSON, default=list)
    # {"category_id": int | None, "tags": [names], "merchant": str}
    actions: Mapped[dict] = mapped_column(JSON, default=dict)
    stop_processing: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CategorySuggestion(Base):
    """The model's top-3 for a transaction it was not sure enough about (the review queue)."""

    __tablename__ = "category_suggestions"

    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    )
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    # [[category_id, confidence], ...], best first
    suggestions: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MerchantMemory(Base):
    """The category a user last gave a merchant, and how many times in a row they gave it."""

    __tablename__ = "merchant_memory"
    __table_args__ = (UniqueConstraint("household_id", "merchant_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    merchant_key: Mapped[str] = mapped_column(String(200))
    merchant_name: Mapped[str] = mapped_column(String(200), default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    # The offer to turn this memory into a rule: "" (not answered), "dismissed" or "created".
    rule_offer: Mapped[str] = mapped_column(String(10), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CategoryCorrection(Base):
    """A label: the category the user chose for one transaction (training data of their model)."""

    __tablename__ = "category_corrections"
    __table_args__ = (Index("ix_category_corrections_household_updated", "household_id",
        "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"))
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), unique=True
    )
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True
    )
    merchant_key: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    provider_category: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class UserModelState(Base):
    """Retrain bookkeeping of a user's model: current version, when labels changed, debounce."""

    __tablename__ = "user_models"

    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str | None] = mapped_column(String(80))
    base_version: Mapped[str | None] = mapped_column(String(80))
    examples: Mapped[int] = mapped_column(Integer, default=0)
    train_seconds: Mapped[float | None] = mapped_column(Float)
    trained_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Labels changed since `trained_labels_at` means the model is stale.
    labels_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    trained_labels_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Debounce: a retrain is enqueued at most once per CATEGORIZER_RETRAIN_MINUTES.
    retrain_enqueued_at: Mapped[datetime | None] = mapped_column(DateTime)
