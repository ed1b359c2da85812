"""A person who signs in, their login sessions and their two-factor recovery codes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finance_app.db import Base, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), default="")
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    base_currency: Mapped[str] = mapped_column(String(3), default="USD")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    locale: Mapped[str] = mapped_column(String(16), default="en_US")
    notify_budget_email: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_weekly_email: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_security_email: Mapped[bool] = mapped_column(Boolean, default=True)
    # Email when a savings goal reaches 25, 50, 75 or 100 % (the in-app notification always comes).
    notify_goal_email: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bank sync: an email when a linked bank needs re-authentication or its sync fails.
    notify_bank_email: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekly summary email: weekday (0 = Monday) and hour in the member's time zone, and
    # whether it may carry figures (off: only "your summary is ready" and a link).
    weekly_email_weekday: Mapped[int] = mapped_column(Integer, default=0)
    weekly_email_hour: Mapped[int] = mapped_column(Integer, default=8)
    weekly_email_figures: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the mail server permanently refused this address; no more weekly emails until the
    # address changes or is verified again (email_verified_at later than this).
    email_bounced_at: Mapped[datetime | None] = mapped_column(DateTime)
    # TOTP secret, encrypted with TOKEN_ENCRYPTION_KEY; set while enrolling, enabled on confirm.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The last TOTP time step accepted, so a code can never be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # Site administration (`flask users make-admin EMAIL`): sees users and job queues, never a
    # household's money unless a member of it.
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # A disabled user cannot sign in and their sessions stop working.
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the member hid the dashboard's getting-started checklist (None: it shows).
    onboarding_dismissed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The household the navigation shows; switched from the navigation.
    current_household_id: Mapped[int | None] = mapped_column(
        ForeignKey("households.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    sessions: Mapped[list[UserSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(cascade="all, delete-orphan")

    # Flask-Login protocol, implemented here so the model needs no Flask import. The id handed
    # to Flask-Login is the login session's token, so revoking the session logs the cookie out.
    # Set per request by the session loader; not a column (hidden from the ORM's annotations).
    if TYPE_CHECKING:
        session_token: str | None
    else:
        session_token = None

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@", 1)[0]

    @property
    def has_bounced_email(self) -> bool:
        """Mail to the current address was refused for good, and it has not been verified since."""
        if self.email_bounced_at is None:
            return False
        return self.email_verified_at is None or self.email_verified_at <= self.email_bounced_at


class UserSession(Base):
    """One signed-in browser; the cookie carries a random token whose hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="sessions")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecoveryCode(Base):
    """A one-time two-factor recovery code, stored only as a keyed hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
