"""Routes of the bank sync pages: parse, call a service, render."""

from __future__ import annotations

from flask import abort, current_app, flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.integrations.plaid import PlaidError, PlaidNotConfigured
from finance_app.jobs import get_progress
from finance_app.models.bank_sync import PlaidItem, SyncRun
from finance_app.models.job import Job
from finance_app.services.bank_sync import items
from finance_app.services.bank_sync.tokens import open_access_token
from finance_app.services.errors import DomainError
from finance_app.services.scope import owned
from finance_app.tasks.bank_sync import plaid_client, sync_item_later
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.bank_sync import bp
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope

# Plaid Link's script, allowed by the Content-Security-Policy of the pages that open Link only.
LINK_SCRIPT = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"
LINK_CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' https://cdn.plaid.com",
    "style-src 'self'",
    "img-src 'self' data: https://*.plaid.com",
    "font-src 'self'",
    "connect-src 'self' https://*.plaid.com",
    "frame-src https://cdn.plaid.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _keys() -> str:
    return str(current_app.config["TOKEN_ENCRYPTION_KEY"])


def _is_configured() -> bool:
    return bool(current_app.config.get("PLAID_CLIENT_ID") and current_app.config.get(
        "PLAID_SECRET"))


def _with_link_csp(html: str) -> Response:
    response = current_app.make_response(html)
    response.headers["Content-Security-Policy"] = LINK_CSP
    return response


@bp.get("/")
def index() -> str:
    scope = current_scope()
    linked = items.list_items(db.session, scope)
    runs = {item.id: items.list_runs(db.session, scope, item, limit=5) for item in linked}
    return render("bank_sync/index.html", "connections", items=linked, runs=runs,
                  form=EmptyForm(), configured=_is_configured())


@bp.post("/email")
def email_preference() -> Response:
    if EmptyForm().validate_on_submit():
        current_user.notify_bank_email = request.form.get("notify_bank_email") == "on"
        db.session.commit()
        flash("Bank connection emails are " + ("on." if current_user.notify_bank_email
                                               else "off."), "success")
    return redirect_after_post(url_for("bank_sync.index"))


def _link_page(template: str, item: PlaidItem | None = None) -> Response:
    """A page that opens Plaid Link: a fresh link token, and the CSP that lets Link load."""
    token, problem = None, ""
    try:
        with plaid_client() as client:
            token = client.create_link_token(
                str(current_user.id), webhook=current_app.config.get("PLAID_WEBHOOK_URL"),
                access_token=open_access_token(item, _keys()) if item else None)
    except PlaidNotConfigured as exc:
        problem = str(exc)
    except PlaidError as exc:
        problem = exc.user_message
    return _with_link_csp(render(template, None, link_token=token, problem=problem, item=item,
                                 link_script=LINK_SCRIPT, form=EmptyForm()))


@bp.get("/connect")
def connect() -> Response:
    return _link_page("bank_sync/connect.html")


@bp.post("/connect")
def exchange() -> Response:
    """Plaid Link's onSuccess posts its public token here."""
    form = EmptyForm()
    public_token = request.form.get("public_token", "").strip()
    if not form.validate_on_submit() or not public_token:
        flash("The bank was not linked: Plaid Link did not finish. Please try again.", "danger")
        return redirect_after_post(url_for("bank_sync.connect"))
    try:
        with plaid_client() as client:
            item = items.link_item(db.session, current_scope(), client, public_token, _keys())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect_after_post(url_for("bank_sync.index"))
    except PlaidNotConfigured as exc:
        flash(str(exc), "danger")
        return redirect_after_post(url_for("bank_sync.index"))
    return redirect_after_post(url_for("bank_sync.accounts", item_id=item.id))


@bp.route("/<int:item_id>/accounts", methods=["GET", "POST"])
def accounts(item_id: int) -> str | Response:
    scope = current_scope()
    item = items.get_item(db.session, scope, item_id)
    form = EmptyForm()
    error = ""
    if form.validate_on_submit():
        choices = {a.id: request.form.get(f"account_{a.id}", items.NEW_ACCOUNT)
                   for a in item.accounts}
        try:
            items.match_accounts(db.session, scope, item, choices)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            run = sync_item_later(item.id, "link", user_id=current_user.id)
            flash(f"{item.institution_name} is linked; its transactions are on their way.",
                  "success")
            return redirect_after_post(url_for("bank_sync.run", run_id=run.id))
    return render("bank_sync/accounts.html", None, item=item, form=form, error=error,
                  choices=items.list_matchable_accounts(db.session, scope))


@bp.post("/<int:item_id>/sync")
def sync_now(item_id: int) -> Response:
    item = items.get_item(db.session, current_scope(), item_id)
    if EmptyForm().validate_on_submit():
        run = sync_item_later(item.id, "manual", user_id=current_user.id)
        return redirect_after_post(url_for("bank_sync.run", run_id=run.id))
    return redirect_after_post(url_for("bank_sync.index"))


@bp.get("/runs/<int:run_id>")
def run(run_id: int) -> str:
    scope = current_scope()
    sync_run = owned(db.session, SyncRun, run_id, scope)
    item = items.get_item(db.session, scope, sync_run.item_id)
    job = db.session.get(Job, sync_run.job_id) if sync_run.job_id else None
    percent, message = get_progress(job) if job is not None else (
        100 if not sync_run.is_active else 0, "")
    if job is not None and job.is_done:
        db.session.refresh(sync_run)
    return render("bank_sync/run.html", "run_progress", run=sync_run, item=item,
                  percent=percent, message=message)


@bp.get("/<int:item_id>/reauth")
def reauth(item_id: int) -> Response:
    item = items.get_item(db.session, current_scope(), item_id)
    return _link_page("bank_sync/reauth.html", item)


@bp.post("/<int:item_id>/reauth")
def reauth_done(item_id: int) -> Response:
    """Link in update mode finished: the login works again; sync what was missed."""
    item = items.get_item(db.session, current_scope(), item_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    items.mark_login_repaired(db.session, item)
    db.session.commit()
    sync_run = sync_item_later(item.id, "reauth", user_id=current_user.id)
    flash(f"{item.institution_name} is connected again.", "success")
    return redirect_after_post(url_for("bank_sync.run", run_id=sync_run.id))


@bp.route("/<int:item_id>/unlink", methods=["GET", "POST"])
def unlink(item_id: int) -> str | Response:
    scope = current_scope()
    item = items.get_item(db.session, scope, item_id)
    form = EmptyForm()
    if form.validate_on_submit():
        delete_history = request.form.get("history") == "delete"
        name = item.institution_name
        try:
            with plaid_client() as client:
                items.unlink_item(db.session, scope, client, item.id, _keys(),
                                  delete_history=delete_history)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect_after_post(url_for("bank_sync.index"))
        flash(f"Unlinked {name}" + (" and deleted its synced transactions." if delete_history
                                    else "; its accounts and history stay."), "success")
        return redirect_after_post(url_for("bank_sync.index"))
    return render("bank_sync/unlink.html", None, item=item, form=form)
