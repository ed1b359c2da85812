"""Routes of the reports blueprint: the report page (and its HTMX region), the CSV download,
PDF/XLSX files made by a job with their progress, list, download and delete, and the tax
categories."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import current_app, flash, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import JobNotStarted, get_progress
from finance_app.models.job import Job
from finance_app.models.report import FILE_FORMATS, TAX_CATEGORIES, ReportFile
from finance_app.reports.data import format_cell
from finance_app.services.errors import DomainError
from finance_app.services.reports import files, tax
from finance_app.services.reports.builder import resolve_query
from finance_app.services.reports.exporting import CSV, MIMETYPES, render, report_data
from finance_app.services.reports.params import KINDS
from finance_app.services.reports.periods import PRESETS
from finance_app.services.transactions.choices import list_choices
from finance_app.tasks.reports import generate_report_file_later
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.downloads import download
from finance_app.web.htmx import is_htmx, redirect_after_post
from finance_app.web.htmx import render as render_page
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.reports import bp
from finance_app.web.reports.forms import ReportFormState, parse_report_args
from finance_app.web.scope import current_scope


def _base() -> str:
    return current_user.base_currency or "USD"


def _report_url(endpoint: str, state: ReportFormState) -> str:
    query = urlencode(state.pairs())
    return url_for(endpoint) + (f"?{query}" if query else "")


def _page(args: MultiDict) -> tuple[str, int]:
    scope = current_scope()
    choices = list_choices(db.session, scope)
    state, params = parse_report_args(args, today())
    data = None
    if params is not None:
        data = report_data(db.session, scope, _base(), today(), params,
                           member_names=dict(choices.members), cache=ledger_cache())
    return render_page(
        "reports/index.html", "report", state=state, data=data, choices=choices,
        presets=PRESETS, kinds=KINDS, formats=FILE_FORMATS,
        report_files=files.list_report_files(db.session, scope),
        csv_url=_report_url("reports.export_csv", state),
    ), 422 if state.errors else 200


@bp.get("/")
def index() -> tuple[str, int]:
    return _page(request.args)


@bp.get("/export.csv")
def export_csv() -> Response | tuple[str, int]:
    _state, params = parse_report_args(request.args, today())
    if params is None:
        return _page(request.args)
    data = report_data(db.session, current_scope(), _base(), today(), params,
                       cache=ledger_cache())
    name = f"ledgerly-{params.kind}-{params.start.isoformat()}-to-{params.end.isoformat()}.csv"
    return download(render(data, CSV), name, MIMETYPES[CSV])


def _file_status(row: ReportFile, status: int = 200) -> tuple[str, int]:
    job = db.session.get(Job, row.job_id) if row.job_id else None
    percent, message = get_progress(job) if job is not None else (100, "")
    if job is not None and job.is_done:
        db.session.refresh(row)
    return render_page("reports/file.html", "report_file", row=row, job=job, percent=percent,
                       message=message), status


@bp.post("/files")
def create_file() -> Response | tuple[str, int]:
    form = EmptyForm()
    state, params = parse_report_args(request.form, today())
    file_format = request.form.get("format", "")
    back = _report_url("reports.index", state)
    if not form.validate_on_submit() or params is None or file_format not in FILE_FORMATS:
        flash("That report could not be generated: choose a valid period and PDF or XLSX.",
              "danger")
        return redirect_after_post(back)
    scope = current_scope()
    resolved = resolve_query(db.session, scope, _base(), today(), params)
    row = files.create_report_file(db.session, scope, resolved, params, file_format)
    db.session.commit()
    try:
        generate_report_file_later(scope, row)
    except JobNotStarted as exc:
        flash(exc.message, "warning")
        return redirect_after_post(back)
    row = files.get_report_file(db.session, scope, row.id)
    if is_htmx():
        return _file_status(row)
    return redirect_after_post(url_for("reports.file_status", report_id=row.id))


@bp.get("/files")
def list_files() -> str:
    return render_page("reports/files.html", None,
                       report_files=files.list_report_files(db.session, current_scope()),
                       retention=current_app.config["REPORT_RETENTION_DAYS"])


@bp.get("/files/<int:report_id>")
def file_status(report_id: int) -> tuple[str, int]:
    return _file_status(files.get_report_file(db.session, current_scope(), report_id))


@bp.get("/files/<int:report_id>/download")
def download_file(report_id: int) -> Response | tuple[str, int]:
    row = files.get_report_file(db.session, current_scope(), report_id)
    try:
        body = files.read_report_bytes(current_app.config["REPORT_DIR"], row)
    except files.ReportFileGone as exc:
        flash(exc.message, "warning")
        return _file_status(row, 410)
    return download(body, row.filename, MIMETYPES[row.format])


@bp.post("/files/<int:report_id>/delete")
def delete_file(report_id: int) -> Response:
    files.get_report_file(db.session, current_scope(), report_id)
    if EmptyForm().validate_on_submit():
        files.delete_report_file(db.session, current_scope(), current_app.config["REPORT_DIR"],
                                 report_id)
        db.session.commit()
        flash("Report file deleted.", "success")
    return redirect_after_post(url_for("reports.list_files"))


@bp.route("/tax-categories", methods=["GET", "POST"])
def tax_categories() -> Response | tuple[str, int]:
    scope = current_scope()
    form = EmptyForm()
    error = None
    if request.method == "POST":
        chosen = {int(key.removeprefix("tax-")): value
                  for key, value in request.form.items()
                  if key.startswith("tax-") and key.removeprefix("tax-").isdigit()}
        if form.validate_on_submit():
            try:
                count = tax.save_mapping(db.session, scope, chosen)
            except DomainError as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                flash(f"Saved: {count} categor{'y' if count == 1 else 'ies'} mapped to a tax "
                      "category.", "success")
                return redirect_after_post(url_for("reports.tax_categories"))
        else:
            error = "The form expired; please try again."
    rows = tax.list_mapping_rows(db.session, scope)
    return render_page("reports/tax.html", None, rows=rows, form=form, error=error,
                       tax_categories=TAX_CATEGORIES), 422 if error else 200


@bp.app_template_filter("report_cell")
def report_cell(value: Any, kind: str, currency: str) -> str:
    return format_cell(value, kind, currency)



@bp.app_template_filter("report_size")
def report_size(size: int) -> str:
    """A file size as people read it: "820 bytes", "14 KB", "1.2 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.1f} MB"
