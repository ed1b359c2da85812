"""Investments of a household: securities, their price history, the trades of investment
accounts, and each account's lot method.

Lots and holdings are not stored: they follow from the trades by the lot engine
(`services/investments/lots.py`), so a trade added, imported or synced late can never leave a
stored lot out of step with the trades it came from.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, ExactDecimal, Money, utcnow
from finance_app.models.ledger import Account

SECURITY_KINDS = ("stock", "etf", "mutual_fund", "bond", "crypto", "cash")
SECURITY_KIND_LABELS = {
    "stock": "Stock",
    "etf": "ETF",
    "mutual_fund": "Mutual fund",
    "bond": "Bond",
    "crypto": "Crypto",
    "cash": "Cash",
}

BUY, SELL, DIVIDEND, REINVEST, SPLIT, TRANSFER_IN = (
    "buy", "sell", "dividend", "reinvest", "split", "transfer_in")
TRADE_ACTIONS = (BUY, SELL, DIVIDEND, REINVEST, SPLIT, TRANSFER_IN)

FIFO, LIFO, HIFO, AVERAGE, SPECIFIC = "fifo", "lifo", "hifo", "average", "specific"
LOT_METHODS = (FIFO, LIFO, HIFO, AVERAGE, SPECIFIC)
LOT_METHOD_LABELS = {
    FIFO: "First in, first out (FIFO)",
    LIFO: "Last in, first out (LIFO)",
    HIFO: "Highest cost first (HIFO)",
    AVERAGE: "Average cost",
    SPECIFIC: "Specific lots (chosen on each sale; FIFO where none were chosen)",
}

# Shares: fractional (reinvested dividends, crypto) to 8 places.
Quantity = ExactDecimal(24, 8)
# Prices: to 6 places (fund NAVs and crypto quotes go below a cent).
Price = ExactDecimal(24, 6)

SOURCE_FILE, SOURCE_PLAID_INVESTMENTS, SOURCE_HAND = "file", "plaid", "manual"


class Security(Base):
    """Something a household holds: a stock, fund, bond, coin or cash, by its symbol."""

    __tablename__ = "securities"
    __table_args__ = (UniqueConstraint("household_id", "symbol"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    symbol: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20), default="stock")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # The provider's id (Plaid security_id) once a sync has matched it.
    external_id: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def kind_label(self) -> str:
        return SECURITY_KIND_LABELS.get(self.kind, self.kind)


class SecurityPrice(Base):
    """A security's closing price on a day: the history values are read from."""

    __tablename__ = "security_prices"
    __table_args__ = (UniqueConstraint("security_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    security_id: Mapped[int] = mapped_column(
        ForeignKey("securities.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    close: Mapped[Decimal] = mapped_column(Price)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_FILE)


class Trade(Base):
    """One line of an investment account's history: a buy, sell, dividend, reinvested dividend,
    split or a transfer in of shares bought elsewhere (dated the day they were first bought).

    quantity: shares (for a split, the ratio: 4 for 4-for-1; for a dividend, the shares it was
    paid on, or 1 with the whole amount as `price`); price: per share (for a transfer in, the
    original cost per share); fees: the broker's fees, in the account's currency.
    """

    __tablename__ = "trades"
    __table_args__ = (
        # Idempotent ingestion: one row per provider id, one per file fingerprint, per account.
        UniqueConstraint("account_id", "external_id"),
        UniqueConstraint("account_id", "fingerprint"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    security_id: Mapped[int] = mapped_column(
        ForeignKey("securities.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    price: Mapped[Decimal] = mapped_column(Price, default=Decimal("0"))
    fees: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # A sale's chosen lots, [{"lot": buy trade id, "quantity": "10"}], for the specific method.
    chosen_lots: Mapped[list | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_FILE)
    external_id: Mapped[str | None] = mapped_column(String(120))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    security: Mapped[Security] = relationship()
    account: Mapped[Account] = relationship()


class InvestmentSettings(Base):
    """How an investment account sells its lots (FIFO unless set)."""

    __tablename__ = "investment_settings"
    __table_args__ = (UniqueConstraint("account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    lot_method: Mapped[str] = mapped_column(String(10), default=FIFO)
