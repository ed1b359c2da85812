"""Recurring series (bills, subscriptions, income, transfers), anomaly flags with the patterns
a household dismissed, and each member's secret calendar-feed token."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, Money, utcnow

WEEKLY, BIWEEKLY, SEMI_MONTHLY = "weekly", "biweekly", "semi-monthly"
MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
INTERVALS = (WEEKLY, BIWEEKLY, SEMI_MONTHLY, MONTHLY, QUARTERLY, YEARLY)
INTERVAL_LABELS = {WEEKLY: "Weekly", BIWEEKLY: "Every two weeks", SEMI_MONTHLY: "Twice a month",
                   MONTHLY: "Monthly", QUARTERLY: "Quarterly", YEARLY: "Yearly"}
# How many times a year each interval comes round (yearly cost of subscriptions).
PER_YEAR = {WEEKLY: 52, BIWEEKLY: 26, SEMI_MONTHLY: 24, MONTHLY: 12, QUARTERLY: 4, YEARLY: 1}

BILL, SUBSCRIPTION, INCOME, TRANSFER = "bill", "subscription", "income", "transfer"
SERIES_KINDS = (BILL, SUBSCRIPTION, INCOME, TRANSFER)
SERIES_KIND_LABELS = {BILL: "Bill", SUBSCRIPTION: "Subscription", INCOME: "Income",
                      TRANSFER: "Transfer"}

# A series' standing: found by detection, confirmed (or added) by a member, or dismissed (and
# remembered: detection never brings a dismissed series back).
DETECTED, CONFIRMED, DISMISSED = "detected", "confirmed", "dismissed"
# A subscription the member says they cancelled: a later charge is an anomaly.
CANCELLED = "cancelled"
SOURCE_DETECTED, SOURCE_MANUAL = "detected", "manual"
# Semi-monthly anchors: a day of the month, or this for "the last business day".
LAST_BUSINESS_DAY = -1


class RecurringSeries(Base):
    __tablename__ = "recurring_series"
    __table_args__ = (UniqueConstraint("household_id", "account_id", "merchant_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    # The account it is paid from (or into); a manual series may have none.
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    merchant: Mapped[str] = mapped_column(String(200))
    # The normalized merchant (or description) that transactions of the series share.
    merchant_key: Mapped[str] = mapped_column(String(200))
    # Keys of series merged into this one: their transactions count as this series'.
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    interval: Mapped[str] = mapped_column(String(12))
    # Days of the month (or LAST_BUSINESS_DAY) a semi-monthly or monthly series falls on.
    anchors: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(12))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    # Signed like transactions (bills negative); low..high is the range when the amount varies.
    expected_amount: Mapped[Decimal] = mapped_column(Money)
    amount_low: Mapped[Decimal] = mapped_column(Money)
    amount_high: Mapped[Decimal] = mapped_column(Money)
    # The last price change: from previous_amount to expected_amount on amount_changed_on.
    previous_amount: Mapped[Decimal | None] = mapped_column(Money)
    amount_changed_on: Mapped[date | None] = mapped_column(Date)
    first_seen: Mapped[date | None] = mapped_column(Date)
    last_seen: Mapped[date | None] = mapped_column(Date)
    next_due: Mapped[date | None] = mapped_column(Date)
    occurrences: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(12), default=DETECTED)
    # The last charge before the member marked it cancelled.
    cancelled_after: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10), default=SOURCE_DETECTED)
    # A member edited it: detection keeps their merchant, interval, kind and amount.
    is_edited: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def interval_label(self) -> str:
        return INTERVAL_LABELS.get(self.interval, self.interval)

    @property
    def kind_label(self) -> str:
        return SERIES_KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_varying(self) -> bool:
        return self.amount_low != self.amount_high

    @property
    def keys(self) -> list[str]:
        return [self.merchant_key, *self.aliases]


class AnomalyFlag(Base):
    """One unusual thing with its reason in words and numbers; `pattern` is what a dismissal
    remembers, so the same pattern is not flagged again."""

    __tablename__ = "anomaly_flags"
    __table_args__ = (UniqueConstraint("household_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    # The transaction flagged (None for a category's month).
    transaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    # This occurrence, e.g. "duplicate:1234"; unique, so re-running detection adds nothing.
    key: Mapped[str] = mapped_column(String(200))
    pattern: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    day: Mapped[date] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime)


class AnomalyDismissal(Base):
    """"This is fine" for a pattern (a merchant's high charges, a category's month...)."""

    __tablename__ = "anomaly_dismissals"
    __table_args__ = (UniqueConstraint("household_id", "pattern"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    pattern: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BillFeedToken(Base):
    """A member's secret iCal feed of a household's upcoming bills; only its hash is kept, so a
    new one replaces (and revokes) the old link."""

    __tablename__ = "bill_feed_tokens"
    __table_args__ = (UniqueConstraint("user_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# Alerts: in-app always; email, SMS and webhook per kind as the member chose
# (finance_app/services/alerts/ has one module per kind and the registry).
BILL_DUE, BILL_LATE, ANOMALY = "bill_due", "bill_late", "anomaly"
LOW_BALANCE, LARGE_TRANSACTION = "low_balance", "large_transaction"
BUDGET_THRESHOLD, GOAL_MILESTONE = "budget_threshold", "goal_milestone"
SYNC_ATTENTION, NEW_TRANSACTIONS = "sync_attention", "new_transactions"
ALERT_KINDS = (BILL_DUE, BILL_LATE, LOW_BALANCE, LARGE_TRANSACTION, ANOMALY, BUDGET_THRESHOLD,
               GOAL_MILESTONE, SYNC_ATTENTION, NEW_TRANSACTIONS)
ALERT_KIND_LABELS = {BILL_DUE: "A bill is due in 3 days", BILL_LATE: "A bill is late",
                     LOW_BALANCE: "A balance falls below your level",
                     LARGE_TRANSACTION: "A transaction above your amount",
                     ANOMALY: "Something unusual was flagged",
                     BUDGET_THRESHOLD: "A budget reaches 80 %, 90 % or 100 %",
                     GOAL_MILESTONE: "A goal reaches 25 %, 50 %, 75 % or 100 %",
                     SYNC_ATTENTION: "A bank connection needs attention",
                     NEW_TRANSACTIONS: "New transactions arrived (one summary per run)"}


class AlertSend(Base):
    """One alert to one member, once per occurrence (the key, e.g. "bill_due:12:2026-03-03"):
    the job may run any number of times."""

    __tablename__ = "alert_sends"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(500), default="")
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    texted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A new-transactions summary: the last transaction id it covers (the member's cursor).
    through_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AlertPreference(Base):
    """A member's channels for one alert kind (in-app is always on; webhooks on unless turned
    off, to the member's endpoints that take the kind's event) and, for large transactions,
    the member's amount."""

    __tablename__ = "alert_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    sms: Mapped[bool] = mapped_column(Boolean, default=False)
    webhook: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    threshold: Mapped[Decimal | None] = mapped_column(Money)


class BalanceThreshold(Base):
    """A member's low-balance level for one account (in the account's currency): an alert
    when its ledger balance goes below it."""

    __tablename__ = "balance_thresholds"
    __table_args__ = (UniqueConstraint("user_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"),
                                            index=True)
    amount: Mapped[Decimal] = mapped_column(Money)


class SmsPhone(Base):
    """A member's phone for SMS alerts: verified by a code first (only its hash is kept);
    messages carry figures only when `allow_figures`."""

    __tablename__ = "sms_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    number: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    code_attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    allow_figures: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# Outbound webhooks: the events a member's endpoint can ask for (each one wired to an alert).
NEW_EXPENSE, BUDGET_EXCEEDED, GOAL_REACHED = "new_expense", "budget_exceeded", "goal_reached"
WEBHOOK_EVENTS = {NEW_EXPENSE: "New expense", BUDGET_EXCEEDED: "Budget exceeded",
                  GOAL_REACHED: "Goal reached", BILL_DUE: "Bill due", BILL_LATE: "Bill late",
                  ANOMALY: "Anomaly", LOW_BALANCE: "Low balance",
                  LARGE_TRANSACTION: "Large transaction",
                  SYNC_ATTENTION: "Bank connection needs attention"}
PENDING, DELIVERED, RETRYING, FAILED = "pending", "delivered", "retrying", "failed"


class WebhookEndpoint(Base):
    """A member's HTTPS URL and the events it wants; deliveries are signed with its secret
    (stored encrypted, shown to the member once)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list] = mapped_column(JSON, default=list)
    secret_encrypted: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebhookDelivery(Base):
    """One event sent (or being retried) to one endpoint, with its outcome."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(24))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    response_code: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
