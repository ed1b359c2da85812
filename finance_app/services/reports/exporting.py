"""A report in a format: build its data once, then render it (the page's CSV, the job's PDF and
XLSX, and `flask reports export` all come through here)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from finance_app.db import DbSession
from finance_app.models.household import Household
from finance_app.reports.data import ReportData
from finance_app.reports.tabular import render_csv, render_xlsx
from finance_app.services.ledger.cache import LedgerCache
from finance_app.services.reports.builder import build_report, resolve_query
from finance_app.services.reports.params import ReportParams
from finance_app.services.scope import Scope

Progress = Callable[[int, str], None]
CSV, PDF, XLSX = "csv", "pdf", "xlsx"
FORMATS = (CSV, PDF, XLSX)
MIMETYPES = {
    CSV: "text/csv",
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def household_name(session: DbSession, scope: Scope) -> str:
    household = session.get(Household, scope.household_id)
    return household.name if household is not None else "Household"


def report_data(session: DbSession, scope: Scope, base: str, today: date,
                params: ReportParams, *, member_names: dict[str, str] | None = None,
                cache: LedgerCache | None = None,
                progress: Progress | None = None) -> ReportData:
    resolved = resolve_query(session, scope, base, today, params, member_names)
    return build_report(session, resolved, params, household_name=household_name(session, scope),
                        cache=cache, progress=progress)


def render(data: ReportData, file_format: str, progress: Progress | None = None) -> bytes:
    """The report's bytes in `file_format` (csv, pdf or xlsx)."""
    if file_format == PDF:
        # ReportLab loads here, on the first PDF, not when the app starts (tests/test_startup.py).
        from finance_app.reports.pdf import render_pdf

        return render_pdf(data, progress)
    if file_format == XLSX:
        return render_xlsx(data)
    if file_format == CSV:
        return render_csv(data)
    raise ValueError(f"unknown report format {file_format!r}")


def export_report(session: DbSession, scope: Scope, base: str, today: date,
                  params: ReportParams, file_format: str,
                  progress: Progress | None = None) -> tuple[ReportData, bytes]:
    """Build and render: reading the ledger is the first half of the progress, drawing the
    second."""
    def reading(percent: int, message: str) -> None:
        if progress:
            progress(percent // 2, message)

    def drawing(percent: int, message: str) -> None:
        if progress:
            progress(50 + percent // 2, message)

    data = report_data(session, scope, base, today, params, progress=reading)
    return data, render(data, file_format, drawing)
