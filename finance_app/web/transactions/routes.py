"""Routes of the transactions blueprint: parse, call one service, render or redirect."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app, flash, redirect, request, send_file, url_for
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.money import input_text
from finance_app.services.errors import DomainError, ValidationFailed
from finance_app.services.scope import Scope
from finance_app.services.transactions import attachments as attachment_service
from finance_app.services.transactions import bulk as bulk_service
from finance_app.services.transactions import records as transaction_service
from finance_app.services.transactions import saved_views, splits, transfers
from finance_app.services.transactions.choices import list_choices
from finance_app.services.transactions.search import TransactionFilter, search_transactions
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.downloads import private_download
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.ledger_cache import ledger_cache
from finance_app.web.scope import current_scope
from finance_app.web.transactions import bp
from finance_app.web.transactions.forms import (
    AttachmentForm,
    QuickEditForm,
    SaveViewForm,
    SplitForm,
    TransactionForm,
    amount_value,
    category_value,
)
from finance_app.web.urls import safe_next_url


def _scope() -> Scope:
    return current_scope()


def _back(default: str | None = None) -> str:
    """Where to return after a post: the list the person came from, if it is ours."""
    target = safe_next_url(request.values.get("next"))
    return target or default or url_for("transactions.index")


# ---------------------------------------------------------------- the list


@bp.get("/")
def index() -> str:
    flt = TransactionFilter.from_args(request.args)
    result = search_transactions(db.session, _scope(), flt, cache=ledger_cache())
    # htmx re-fetches a pushed URL on history restore with HX-Request set: give it the page.
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    return render(
        "transactions/index.html", None if restoring else "txn_results",
        has_import="upload.index" in current_app.view_functions,
        result=result, flt=flt, choices=list_choices(db.session, _scope()),
        views=saved_views.list_views(db.session, _scope()),
        current_url=request.full_path.rstrip("?"),
        view_form=SaveViewForm(query=flt.to_query_string(page=False)),
    )


@bp.get("/<int:txn_id>/row")
def row(txn_id: int) -> str | Response:
    txn = transaction_service.get_transaction(db.session, _scope(), txn_id)
    if not is_htmx():
        return redirect(_back())
    return render("transactions/_row.html", "txn_row", txn=txn, current_url=_back())


@bp.route("/<int:txn_id>/quick", methods=["GET", "POST"])
def quick_edit(txn_id: int) -> Any:
    txn = transaction_service.get_transaction(db.session, _scope(), txn_id)
    choices = list_choices(db.session, _scope())
    if request.method == "POST":
        form = QuickEditForm()
    else:
        form = QuickEditForm(data={
            "merchant": txn.merchant, "category_id": str(txn.category_id or ""),
            "tags": ", ".join(t.name for t in txn.tags), "notes": txn.notes, "next": _back()})
    form.category_id.choices = choices.category_options()
    if form.validate_on_submit():
        try:
            transaction_service.update_transaction(
                db.session, _scope(), txn.id, **form.service_fields(request.form))
        except ValidationFailed as exc:
            db.session.rollback()
            form.merchant.errors = [*form.merchant.errors, exc.message]
        else:
            db.session.commit()
            if is_htmx():
                return render("transactions/_row.html", "txn_row", txn=txn,
                              current_url=_back())
            flash("Transaction saved.", "success")
            return redirect_after_post(_back())
    status = 422 if form.errors else 200
    return render("transactions/quick.html", "quick_row", txn=txn, form=form,
                  current_url=_back()), status


# ---------------------------------------------------------------- add, edit, delete


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    choices = list_choices(db.session, _scope())
    if not choices.accounts:
        flash("Add an account first: every transaction belongs to one.", "info")
    form = TransactionForm(next=_back())
    form.set_choices(choices)
    if form.validate_on_submit():
        try:
            txn = transaction_service.create_transaction(
                db.session, _scope(), transaction_service.TransactionInput(**form.service_fields()))
        except ValidationFailed as exc:
            db.session.rollback()
            form.amount.errors = [*form.amount.errors, exc.message]
        else:
            db.session.commit()
            flash(f"Added {txn.display_name}.", "success")
            return redirect_after_post(_back())
    return render("transactions/form.html", None, form=form, txn=None), (
        422 if form.errors else 200)


@bp.route("/<int:txn_id>/edit", methods=["GET", "POST"])
def edit(txn_id: int) -> Any:
    txn = transaction_service.get_transaction(db.session, _scope(), txn_id)
    choices = list_choices(db.session, _scope())
    if request.method == "POST":
        form = TransactionForm()
    else:
        form = TransactionForm(data={
            "account_id": txn.account_id, "date": txn.date,
            "direction": "out" if txn.amount < 0 else "in",
            "amount": _amount_text(txn.amount, txn.account.currency),
            "merchant": txn.merchant, "raw_description": txn.raw_description,
            "category_id": str(txn.category_id or ""), "tags": ", ".join(t.name for t in txn.tags),
            "notes": txn.notes, "is_pending": txn.is_pending, "is_excluded": txn.is_excluded,
            "next": _back(),
        })
    form.set_choices(choices)
    if form.validate_on_submit():
        try:
            transaction_service.update_transaction(db.session, _scope(), txn.id,
                                                   **form.service_fields())
        except ValidationFailed as exc:
            db.session.rollback()
            form.amount.errors = [*form.amount.errors, exc.message]
        else:
            db.session.commit()
            flash("Transaction saved.", "success")
            return redirect_after_post(_back())
    return render(
        "transactions/form.html", None, form=form, txn=txn,
        attachment_form=AttachmentForm(), button_form=EmptyForm(),
        peer=transaction_service.get_transaction(db.session, _scope(), txn.transfer_peer_id)
        if txn.transfer_peer_id else None,
        max_mb=current_app.config["ATTACHMENT_MAX_MB"],
    ), (422 if form.errors else 200)


def _amount_text(amount: Decimal, currency: str) -> str:
    """The magnitude as typed, in the currency's decimals (more only when they do not say it)."""
    return input_text(abs(amount), currency)


@bp.post("/<int:txn_id>/delete")
def delete(txn_id: int) -> Response:
    txn = transaction_service.get_transaction(db.session, _scope(), txn_id)
    if EmptyForm().validate_on_submit():
        transaction_service.delete_transaction(db.session, _scope(), txn.id,
                                               current_app.config["ATTACHMENT_DIR"])
        db.session.commit()
        flash("Transaction deleted.", "success")
    return redirect_after_post(_back())


# ---------------------------------------------------------------- splits


@bp.route("/<int:txn_id>/split", methods=["GET", "POST"])
def split(txn_id: int) -> Any:
    txn = transaction_service.get_transaction(db.session, _scope(), txn_id)
    choices = list_choices(db.session, _scope())
    if request.method == "GET":
        currency = txn.account.currency
        lines = [{"category_id": str(s.category_id or ""),
                  "amount": input_text(s.amount, currency), "note": s.note}
                 for s in txn.splits] or [
            {"category_id": str(txn.category_id or ""),
             "amount": input_text(txn.amount, currency)}, {}]
        form = SplitForm(data={"lines": lines})
    else:
        form = SplitForm()
        if "add_line" in request.form and len(form.lines) < 50:
            form.lines.append_entry()
    form.set_choices(choices)
    if "add_line" not in request.form and form.validate_on_submit():
        try:
            splits.split_transaction(db.session, _scope(), txn.id, _split_lines(form))
        except ValidationFailed as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
        else:
            db.session.commit()
            flash("Transaction split.", "success")
            return redirect_after_post(url_for("transactions.edit", txn_id=txn.id))
    return render("transactions/split.html", None, txn=txn, form=form,
                  button_form=EmptyForm()), (422 if form.form_errors or form.errors else 200)


def _split_lines(form: SplitForm) -> list[splits.SplitInput]:
    lines = []
    for position, entry in enumerate(form.lines, 1):
        raw = (entry.form.amount.data or "").strip()
        if not raw and not entry.form.category_id.data and not entry.form.note.data:
            continue  # an untouched blank line
        try:
            amount = amount_value(raw)
        except Exception as exc:
            raise ValidationFailed(f"Line {position}: enter an amount such as -12.50.") from exc
        lines.append(splits.SplitInput(amount=amount,
                                       category_id=category_value(entry.form.category_id.data),
                                       note=entry.form.note.data or ""))
    return lines


@bp.post("/<int:txn_id>/unsplit")
def unsplit(txn_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            splits.unsplit_transaction(db.session, _scope(), txn_id)
        except ValidationFailed as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
            flash("Split removed.", "success")
    else:
        transaction_service.get_transaction(db.session, _scope(), txn_id)
    return redirect_after_post(url_for("transactions.edit", txn_id=txn_id))


# ---------------------------------------------------------------- transfers


@bp.get("/transfers")
def transfer_suggestions() -> str:
    days = request.args.get("days", "3")
    window = int(days) if days.isdigit() and 0 <= int(days) <= 14 else 3
    return render(
        "transactions/transfers.html", None, window=window, button_form=EmptyForm(),
        suggestions=transfers.suggest_transfer_pairs(db.session, _scope(), window_days=window),
    )


@bp.post("/transfers/link")
def link_transfer() -> Response:
    if EmptyForm().validate_on_submit():
        try:
            transfers.link_transfer(db.session, _scope(), request.form.get("outflow"),
                                    request.form.get("inflow"))
        except ValidationFailed as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash("Linked as a transfer: it no longer counts as income or spending.", "success")
    return redirect_after_post(_back(url_for("transactions.transfer_suggestions")))


@bp.post("/<int:txn_id>/unlink")
def unlink_transfer(txn_id: int) -> Response:
    transaction_service.get_transaction(db.session, _scope(), txn_id)
    if EmptyForm().validate_on_submit():
        try:
            transfers.unlink_transfer(db.session, _scope(), txn_id)
        except ValidationFailed as exc:
            flash(exc.message, "warning")
        else:
            db.session.commit()
            flash("Transfer unlinked.", "success")
    return redirect_after_post(url_for("transactions.edit", txn_id=txn_id))


# ---------------------------------------------------------------- attachments


@bp.post("/<int:txn_id>/attachments")
def upload_attachment(txn_id: int) -> Response:
    transaction_service.get_transaction(db.session, _scope(), txn_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        limit = current_app.config["ATTACHMENT_MAX_MB"] * 1024 * 1024
        data = upload.stream.read(limit + 1)
        try:
            attachment_service.add_attachment(
                db.session, _scope(), txn_id, upload.filename or "", data,
                current_app.config["ATTACHMENT_DIR"], max_bytes=limit)
        except ValidationFailed as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash("Receipt attached.", "success")
    else:
        flash(next(iter(form.errors.values()), ["Choose a file."])[0], "danger")
    return redirect_after_post(url_for("transactions.edit", txn_id=txn_id))


@bp.get("/attachments/<int:attachment_id>")
def download_attachment(attachment_id: int) -> Response:
    attachment, path = attachment_service.open_attachment(
        db.session, _scope(), attachment_id, current_app.config["ATTACHMENT_DIR"])
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.filename, max_age=0)
    return private_download(response)


@bp.post("/attachments/<int:attachment_id>/delete")
def delete_attachment(attachment_id: int) -> Response:
    attachment = attachment_service.get_attachment(db.session, _scope(), attachment_id)
    txn_id = attachment.transaction_id
    if EmptyForm().validate_on_submit():
        attachment_service.delete_attachment(
            db.session, _scope(), attachment.id, current_app.config["ATTACHMENT_DIR"])
        db.session.commit()
        flash("Receipt deleted.", "success")
    return redirect_after_post(url_for("transactions.edit", txn_id=txn_id))


# ---------------------------------------------------------------- bulk actions


BULK_ACTIONS = ("recategorize", "tag", "delete", "transfer")


@bp.post("/bulk")
def bulk() -> Response:
    action = request.form.get("action", "")
    ids = request.form.getlist("ids")
    if not EmptyForm().validate_on_submit() or action not in BULK_ACTIONS:
        flash("Choose an action for the selected transactions.", "warning")
        return redirect_after_post(_back())
    uid = _scope()
    try:
        if action == "recategorize":
            count = bulk_service.recategorize(db.session, uid, ids,
                                              category_value(request.form.get("category_id")))
            message = f"Recategorized {count} transaction{'s' if count != 1 else ''}."
        elif action == "tag":
            count = bulk_service.add_tags(db.session, uid, ids,
                                          request.form.get("tags", "").split(","))
            message = f"Tagged {count} transaction{'s' if count != 1 else ''}."
        elif action == "delete":
            count = bulk_service.delete(db.session, uid, ids, current_app.config["ATTACHMENT_DIR"])
            message = f"Deleted {count} transaction{'s' if count != 1 else ''}."
        else:
            count = bulk_service.mark_transfers(db.session, uid, ids)
            message = f"Linked {count} transfer{'s' if count != 1 else ''}."
    except ValidationFailed as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect_after_post(_back())


# ---------------------------------------------------------------- saved views


@bp.post("/views")
def save_view() -> Response:
    form = SaveViewForm()
    if form.validate_on_submit():
        try:
            view = saved_views.save_view(db.session, _scope(), form.name.data or "",
                                         form.query.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect_after_post(_back())
        db.session.commit()
        flash(f"Saved the view “{view.name}”.", "success")
        return redirect_after_post(_view_url(view.query))
    flash(next(iter(form.errors.values()), ["Give the view a name."])[0], "danger")
    return redirect_after_post(_back())


@bp.get("/views/<int:view_id>")
def open_view(view_id: int) -> Response:
    view = saved_views.get_view(db.session, _scope(), view_id)
    return redirect(_view_url(view.query))


@bp.post("/views/<int:view_id>/delete")
def delete_view(view_id: int) -> Response:
    saved_views.get_view(db.session, _scope(), view_id)
    if EmptyForm().validate_on_submit():
        saved_views.delete_view(db.session, _scope(), view_id)
        db.session.commit()
        flash("Saved view deleted.", "success")
    return redirect_after_post(_back())


def _view_url(query: str) -> str:
    base = url_for("transactions.index")
    return f"{base}?{query}" if query else base

