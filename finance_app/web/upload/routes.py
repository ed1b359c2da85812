"""Routes of the import wizard: upload -> preview -> confirm -> progress and summary."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.importers import ColumnMapping, ImportFileError, RawTable
from finance_app.jobs import get_progress
from finance_app.models.job import Job
from finance_app.services import imports
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import owned
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.downloads import download
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.scope import current_scope
from finance_app.web.upload import bp
from finance_app.web.upload.forms import NEW_ACCOUNT, MappingForm, UploadForm


def _upload_dir() -> str:
    return current_app.config["UPLOAD_DIR"]


def _index_page(form: UploadForm) -> str:
    form.set_accounts(imports.list_import_accounts(db.session, current_scope()))
    return render_template(
        "upload/index.html", form=form,
        batches=imports.list_batches(db.session, current_scope()),
        limit_mb=(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024),
    )


@bp.get("/")
def index() -> str:
    return _index_page(UploadForm())


@bp.post("/")
def create() -> str | Response | tuple[str, int]:
    form = UploadForm()
    form.set_accounts(imports.list_import_accounts(db.session, current_scope()))
    if form.validate_on_submit():
        upload = form.file.data
        new_account = None
        account_id: str | None = form.account.data
        if account_id == NEW_ACCOUNT:
            account_id = None
            new_account = imports.NewAccount(form.new_account_name.data or "",
                                             form.new_account_type.data or "checking")
        try:
            batch, _ = imports.stage_upload(
                db.session, current_scope(), upload.read(), upload.filename or "",
                upload_dir=_upload_dir(),
                max_bytes=current_app.config.get("MAX_CONTENT_LENGTH") or 20 * 1024 * 1024,
                account_id=account_id, new_account=new_account,  # type: ignore[arg-type]
                new_account_currency_code=form.new_account_currency.data or None,
            )
        except ImportFileError as exc:
            db.session.rollback()
            form.file.errors.append(exc.message)
        except imports.CurrencyNotStated as exc:
            db.session.rollback()
            form.new_account_currency.errors.append(exc.message)
        except ValidationFailed as exc:
            db.session.rollback()
            form.new_account_name.errors.append(exc.message)
        else:
            db.session.commit()
            return redirect_after_post(url_for("upload.preview", batch_id=batch.id))
    return _index_page(form), 422


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
    form = UploadForm(formdata=None)
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    form.file.errors = [imports.too_large_message(limit)]
    return _index_page(form), 413


def _mapping_form(table: RawTable) -> MappingForm:
    form = MappingForm()
    form.set_columns(table.columns, imports.column_samples(table))
    return form


def _preview_page(batch: Any, preview: imports.ImportPreview, form: MappingForm,
                  error: str | None = None) -> str:
    suggestion = imports.suggest_existing_account(db.session, current_scope(), batch, preview)
    return render("upload/preview.html", "import_preview", batch=batch, preview=preview,
                  form=form, error=error, cancel_form=EmptyForm(), suggestion=suggestion,
                  move_form=EmptyForm())


def _open_draft(batch_id: int) -> tuple[Any, Any] | Response:
    """The draft batch and its parsed file, or where to go when it is no longer a draft."""
    try:
        return imports.open_draft(db.session, current_scope(), batch_id, _upload_dir())
    except imports.ImportAlreadyStarted:
        return redirect_after_post(url_for("upload.show", batch_id=batch_id))
    except imports.UploadGone as exc:
        flash(exc.message, "warning")
        return redirect_after_post(url_for("upload.index"))


@bp.route("/<int:batch_id>/preview", methods=["GET", "POST"])
def preview(batch_id: int) -> str | Response | tuple[str, int]:
    opened = _open_draft(batch_id)
    if isinstance(opened, Response):
        return opened
    batch, table = opened
    form = _mapping_form(table)
    base = ColumnMapping.from_dict(batch.mapping)
    mapping, error = base, None
    if request.method == "POST" and form.validate_on_submit():
        mapping = form.to_mapping(base)
    try:
        result = imports.preview_table(db.session, current_scope(), table, batch.account_id,
                                       mapping)
    except ImportFileError as exc:
        error = exc.message
        result = imports.preview_table(db.session, current_scope(), table, batch.account_id,
                                       base)
    if request.method == "POST" and error is None:
        imports.set_draft_mapping(batch, result)
        db.session.commit()
        if not is_htmx():
            return redirect(url_for("upload.preview", batch_id=batch.id), code=303)
    if request.method == "GET" or error is None:
        form.fill(result.mapping)
    page = _preview_page(batch, result, form, error)
    return (page, 422) if error else page


@bp.post("/<int:batch_id>/confirm")
def confirm(batch_id: int) -> str | Response | tuple[str, int]:
    opened = _open_draft(batch_id)
    if isinstance(opened, Response):
        return opened
    batch, table = opened
    form = _mapping_form(table)
    base = ColumnMapping.from_dict(batch.mapping)
    mapping = form.to_mapping(base) if form.validate_on_submit() else None
    error = None if mapping is not None else "Your form expired; please try again."
    if mapping is not None:
        try:
            imports.confirm_import(db.session, current_scope(), batch.id, _upload_dir(), mapping,
                                   table)
        except (ImportFileError, ValidationFailed) as exc:
            error = exc.message
    if error is not None:
        db.session.rollback()
        batch, table = imports.open_draft(db.session, current_scope(), batch_id, _upload_dir())
        result = imports.preview_table(db.session, current_scope(), table, batch.account_id,
                                       base)
        return _preview_page(batch, result, form, error), 422
    db.session.commit()
    from finance_app.tasks.imports import ImportNotStarted, run_import_later

    try:
        run_import_later(current_scope(), batch.id)
    except ImportNotStarted as exc:  # the batch is a draft again: nothing half-started
        flash(exc.message, "warning")
        return redirect_after_post(url_for("upload.preview", batch_id=batch.id))
    return redirect_after_post(url_for("upload.show", batch_id=batch.id))


@bp.post("/<int:batch_id>/account")
def move_to_account(batch_id: int) -> Response:
    """"Import into the account I already have": the draft changes account, nothing else."""
    if not EmptyForm().validate_on_submit():
        flash("Your form expired; please try again.", "warning")
        return redirect_after_post(url_for("upload.preview", batch_id=batch_id))
    try:
        batch = imports.move_draft_to_account(db.session, current_scope(), batch_id,
                                              request.form.get("account_id"))
    except imports.ImportAlreadyStarted:
        return redirect_after_post(url_for("upload.show", batch_id=batch_id))
    except ValidationFailed as exc:
        db.session.rollback()
        flash(exc.message, "warning")
        return redirect_after_post(url_for("upload.preview", batch_id=batch_id))
    db.session.commit()
    flash("The file now goes into that account; rows already there are skipped.", "success")
    return redirect_after_post(url_for("upload.preview", batch_id=batch.id))


@bp.post("/<int:batch_id>/retry")
def retry(batch_id: int) -> Response:
    """"Import again" after the import's worker stopped: the same stored file and mapping."""
    from finance_app.tasks.imports import ImportNotStarted, retry_import_later

    if EmptyForm().validate_on_submit():
        try:
            retry_import_later(current_scope(), batch_id)
        except ImportNotStarted as exc:
            flash(exc.message, "warning")
        except imports.ImportAlreadyStarted:
            db.session.rollback()
    return redirect_after_post(url_for("upload.show", batch_id=batch_id))


@bp.post("/<int:batch_id>/cancel")
def cancel(batch_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            imports.cancel_draft(db.session, current_scope(), batch_id, _upload_dir())
        except imports.ImportAlreadyStarted:
            return redirect_after_post(url_for("upload.show", batch_id=batch_id))
        db.session.commit()
        flash("Import cancelled; nothing was imported.", "info")
    return redirect_after_post(url_for("upload.index"))


@bp.get("/<int:batch_id>")
def show(batch_id: int) -> str | Response:
    batch = imports.get_batch(db.session, current_scope(), batch_id)
    if batch.status == imports.DRAFT:
        return redirect(url_for("upload.preview", batch_id=batch.id))
    job = owned(db.session, Job, batch.job_id, current_scope()) if batch.job_id else None
    percent, message = get_progress(job) if job is not None else (0, "Waiting to start…")
    running = batch.status in (imports.QUEUED, imports.RUNNING) and not (
        job is not None and job.is_done)
    from finance_app.tasks.imports import can_retry

    return render(
        "upload/show.html", "import_status", batch=batch, job=job, percent=percent,
        message=message, running=running, can_retry=can_retry(batch),
        account=imports.get_batch_account(db.session, current_scope(), batch),
        pending=imports.count_pending(db.session, current_scope(), batch.id),
        button_form=EmptyForm(),
        transactions_url=url_for("transactions.index")
        if "transactions.index" in current_app.view_functions else None,
    )


@bp.get("/<int:batch_id>/failed-rows.csv")
def failed_rows(batch_id: int) -> Response:
    name, text = imports.failed_rows_csv(db.session, current_scope(), batch_id)
    return download("\ufeff" + text, name, "text/csv")


@bp.post("/<int:batch_id>/undo")
def undo(batch_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            removed = imports.undo_import(
                db.session, current_scope(), batch_id, current_app.config["ATTACHMENT_DIR"]
            )
        except imports.CannotUndo as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
            flash(f"Import undone: {removed:,} transaction{'s' if removed != 1 else ''} "
                  "removed.", "success")
    return redirect_after_post(url_for("upload.show", batch_id=batch_id))


@bp.get("/<int:batch_id>/review")
def review(batch_id: int) -> str:
    batch = imports.get_batch(db.session, current_scope(), batch_id)
    rows = imports.list_pending(db.session, current_scope(), batch.id)
    return render("upload/review.html", "pending_list", batch=batch, rows=rows,
                  account=imports.get_batch_account(db.session, current_scope(), batch),
                  button_form=EmptyForm())


@bp.post("/<int:batch_id>/review/<int:pending_id>")
def resolve(batch_id: int, pending_id: int) -> str | Response:
    action = request.form.get("action", "")
    if EmptyForm().validate_on_submit():
        try:
            imports.resolve_pending(db.session, current_scope(), pending_id, action, batch_id)
        except ValidationFailed as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
    if is_htmx():
        return review(batch_id)
    return redirect_after_post(url_for("upload.review", batch_id=batch_id))


@bp.post("/<int:batch_id>/review/all")
def resolve_all(batch_id: int) -> Response:
    action = request.form.get("action", "")
    if EmptyForm().validate_on_submit():
        try:
            count = imports.resolve_all_pending(db.session, current_scope(), batch_id, action)
        except ValidationFailed as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
            verb = "imported" if action == "import" else "skipped"
            flash(f"{count:,} row{'s' if count != 1 else ''} {verb}.", "success")
    return redirect_after_post(url_for("upload.show", batch_id=batch_id))
