"""Report files a household generated (PDF, XLSX) and its category -> tax-category mapping."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finance_app.db import Base, utcnow

PENDING, READY, FAILED = "pending", "ready", "failed"
PDF, XLSX = "pdf", "xlsx"
FILE_FORMATS = (PDF, XLSX)

# The tax categories a spending or income category can be mapped to, in the order shown.
TAX_CATEGORIES = {
    "charitable": "Charitable gifts",
    "medical": "Medical and dental",
    "business": "Business expenses",
    "home_office": "Home office",
    "education": "Education",
    "childcare": "Childcare",
    "taxes_paid": "Taxes paid",
    "retirement": "Retirement contributions",
    "business_income": "Business income",
    "interest_income": "Interest and dividends",
}


class ReportFile(Base):
    """A generated report file: the parameters it was built from, then where its bytes are."""

    __tablename__ = "report_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Set when the report covered a member's private account: then only that member sees it.
    private_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # The report's parameters (services/reports/params.py), so the job can build it again.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    job_id: Mapped[str | None] = mapped_column(String(36))
    # A random file name under REPORT_DIR/<household id>/; never the user's input.
    storage_key: Mapped[str | None] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def filename(self) -> str:
        """The name a download gets: ledgerly-summary-2026-01-01-to-2026-03-31.pdf."""
        return (f"ledgerly-{self.kind}-{self.period_start.isoformat()}-to-"
                f"{self.period_end.isoformat()}.{self.format}")

    @property
    def is_ready(self) -> bool:
        return self.status == READY


class TaxCategoryMapping(Base):
    """Which tax category (TAX_CATEGORIES) a household's category counts towards."""

    __tablename__ = "tax_category_mappings"
    __table_args__ = (UniqueConstraint("household_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(
        ForeignKey("households.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), index=True)
    tax_category: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
