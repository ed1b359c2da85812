"""Routes of the settings blueprint."""

from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import enqueue, get_progress
from finance_app.models.job import Job
from finance_app.security.passwords import WeakPasswordError
from finance_app.services.errors import DomainError
from finance_app.services.identity import audit, data_archive, data_export, users
from finance_app.services.identity import sessions as login_sessions
from finance_app.services.identity import two_factor as two_factor_service
from finance_app.services.identity.user_deletion import delete_user
from finance_app.services.identity.users import WrongPasswordError
from finance_app.services.onboarding import checklist
from finance_app.services.scope import owned
from finance_app.services.transactions.anonymize import (
    ViewerCannotAnonymize,
    anonymize_transactions,
)
from finance_app.tasks.data_export import build_data_archive
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.client import client_info
from finance_app.web.downloads import download, download_file
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.scope import current_scope
from finance_app.web.settings import bp
from finance_app.web.settings.forms import (
    AnonymizeForm,
    ChangePasswordForm,
    ConfirmTwoFactorForm,
    DeleteAccountForm,
    DisableTwoFactorForm,
    ProfileForm,
)


def _keys() -> tuple[str, str]:
    return current_app.config["TOKEN_ENCRYPTION_KEY"], current_app.config["SECRET_KEY"]



@bp.route("/profile", methods=["GET", "POST"])
def profile() -> str | Response:
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        changes = users.ProfileChanges(
            name=form.name.data or "",
            base_currency=form.base_currency.data or "USD",
            timezone=form.timezone.data or "UTC",
            locale=form.locale.data or "en_US",
            notify_budget_email=bool(form.notify_budget_email.data),
            notify_weekly_email=bool(form.notify_weekly_email.data),
            weekly_email_weekday=form.weekly_email_weekday.data,
            weekly_email_hour=form.weekly_email_hour.data,
            weekly_email_figures=bool(form.weekly_email_figures.data),
            notify_security_email=bool(form.notify_security_email.data),
            notify_goal_email=bool(form.notify_goal_email.data),
        )
        try:
            users.update_profile(db.session, current_user, changes, client_info())
        except DomainError as exc:
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash("Profile saved.", "success")
            return redirect_after_post(url_for("settings.profile"))
    return render("settings/profile.html", "profile_form", form=form)


def _security_context(**extra: object) -> dict[str, object]:
    token = current_user.session_token
    context: dict[str, object] = {
        "sessions": login_sessions.list_active_sessions(db.session, current_user.id),
        "current_session_id": login_sessions.current_session_id(db.session, token),
        "events": audit.list_events(db.session, current_user.id, limit=50),
        "event_labels": audit.LABELS,
        "recovery_left": two_factor_service.count_unused_recovery_codes(
            db.session, current_user.id
        ),
        "password_form": ChangePasswordForm(),
        "disable_form": DisableTwoFactorForm(),
        "button_form": EmptyForm(),
    }
    context.update(extra)
    return context


@bp.get("/security")
def security() -> str:
    return render("settings/security.html", None, **_security_context())


@bp.post("/security/password")
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(
                db.session, current_user, form.current_password.data or "",
                form.new_password.data or "", current_user.session_token, client_info(),
            )
        except WeakPasswordError as exc:
            form.new_password.errors.append(str(exc))
        except DomainError as exc:
            form.current_password.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Password changed. Your other sessions have been signed out.", "success")
            return redirect_after_post(url_for("settings.security"))
    return render(
        "settings/security.html", "password_panel", **_security_context(password_form=form)
    ), 422  # type: ignore[return-value]


@bp.post("/security/sessions/<int:session_id>/revoke")
def revoke_session(session_id: int) -> str | Response:
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("settings.security"))
    login_sessions.revoke_session(db.session, current_user.id, session_id, client_info())
    db.session.commit()
    flash("That session has been signed out.", "success")
    return redirect_after_post(url_for("settings.security"))


@bp.post("/security/sessions/revoke-others")
def sign_out_everywhere() -> Response:
    if EmptyForm().validate_on_submit():
        count = login_sessions.sign_out_everywhere_else(
            db.session, current_user.id, current_user.session_token, client_info()
        )
        db.session.commit()
        flash(f"Signed out {count} other session{'s' if count != 1 else ''}.", "success")
    return redirect_after_post(url_for("settings.security"))


@bp.route("/security/two-factor", methods=["GET", "POST"])
def enable_two_factor() -> str | Response:
    if current_user.has_two_factor:
        return redirect(url_for("settings.security"))
    encryption_key, hmac_key = _keys()
    form = ConfirmTwoFactorForm()
    enrolment = two_factor_service.pending_enrolment(current_user, encryption_key)
    if form.validate_on_submit() and enrolment is not None:
        try:
            codes = two_factor_service.confirm_enrolment(
                db.session, current_user, form.code.data or "", encryption_key, hmac_key,
                client_info(),
            )
        except DomainError as exc:
            form.code.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Two-factor authentication is on.", "success")
            return render_template("settings/recovery_codes.html", codes=codes)
    if enrolment is None:
        enrolment = two_factor_service.begin_enrolment(current_user, encryption_key)
        db.session.commit()
    return render_template("settings/two_factor_enrol.html", form=form, enrolment=enrolment)


@bp.post("/security/two-factor/disable")
def disable_two_factor() -> str | Response:
    form = DisableTwoFactorForm()
    if form.validate_on_submit():
        encryption_key, hmac_key = _keys()
        try:
            two_factor_service.disable(
                db.session, current_user, form.password.data or "", form.code.data or "",
                encryption_key, hmac_key, client_info(),
            )
        except DomainError as exc:
            db.session.commit()  # keep the audit row of a wrong code
            form.code.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Two-factor authentication is off.", "warning")
            return redirect_after_post(url_for("settings.security"))
    return render(
        "settings/security.html", "two_factor_panel", **_security_context(disable_form=form)
    ), 422  # type: ignore[return-value]


@bp.post("/security/two-factor/recovery-codes")
def regenerate_recovery_codes() -> str | Response:
    if not current_user.has_two_factor or not EmptyForm().validate_on_submit():
        return redirect(url_for("settings.security"))
    codes = two_factor_service.replace_recovery_codes(db.session, current_user, _keys()[1])
    db.session.commit()
    return render_template("settings/recovery_codes.html", codes=codes)


def _data_page(status: int = 200, **forms: object) -> tuple[str, int]:
    context = {"form": DeleteAccountForm(), "anonymize_form": AnonymizeForm(),
               "export_form": EmptyForm(), **forms}
    return render_template("settings/data.html", **context), status


@bp.get("/data")
def data() -> tuple[str, int]:
    return _data_page()


@bp.post("/data/archive")
def start_archive() -> Response:
    """Start building the full export (a ZIP) as a job; its page shows progress, then the file."""
    if not EmptyForm().validate_on_submit():
        return redirect_after_post(url_for("settings.data"))
    scope = current_scope()
    job = enqueue(build_data_archive, current_user.id, scope.household_id,
                  user_id=current_user.id, household_id=scope.household_id,
                  name="data_export", description="Your data export")
    audit.record(db.session, current_user.id, audit.DATA_EXPORTED, client_info(), format="zip")
    db.session.commit()
    return redirect_after_post(url_for("settings.archive", job_id=job.id))


def _own_archive_job(job_id: str) -> Job:
    """The member's own export job: another member's (or household's) is not found."""
    job = owned(db.session, Job, job_id, current_scope())
    if job.user_id != current_user.id or job.name != "data_export":
        abort(404)
    return job


@bp.get("/data/archive/<job_id>")
def archive(job_id: str) -> str:
    job = _own_archive_job(job_id)
    percent, message = get_progress(job)
    ready = job.status == "finished" and bool(job.result)
    next_url = url_for("settings.download_archive", job_id=job.id) if ready else None
    return render("settings/archive.html", "job_progress", job=job, percent=percent,
                  message=message, next_url=next_url, next_label="Download the ZIP",
                  poll_url=url_for("settings.archive", job_id=job.id))


@bp.get("/data/archive/<job_id>/download")
def download_archive(job_id: str) -> Response:
    job = _own_archive_job(job_id)
    name = (job.result or {}).get("file", "")
    try:
        path = data_archive.archive_path(current_app.config["EXPORT_DIR"], current_user.id, name)
    except ValueError:
        abort(404)
    if not path.is_file():
        flash("That export has expired: exports are kept for "
              f"{current_app.config['EXPORT_RETENTION_HOURS']} hours. Start a new one.", "warning")
        return redirect(url_for("settings.data"))
    return download_file(path, name, "application/zip")


@bp.post("/data/anonymize")
def anonymize() -> str | Response | tuple[str, int]:
    form = AnonymizeForm()
    if not form.validate_on_submit():
        return _data_page(422, anonymize_form=form)
    try:
        result = anonymize_transactions(
            db.session, current_scope(), current_user, form.password.data or "",
            form.before.data, date.today(), client_info())
    except ViewerCannotAnonymize as exc:
        abort(403, description=exc.message)
    except DomainError as exc:
        db.session.rollback()
        target = form.password if isinstance(exc, WrongPasswordError) else form.before
        target.errors = [*target.errors, exc.message]
        return _data_page(422, anonymize_form=form)
    db.session.commit()
    flash(f"{result.transactions:,} transactions dated before {result.before:%d %b %Y} now carry "
          "only their category; amounts and dates are unchanged.", "success")
    return redirect_after_post(url_for("settings.data"))


@bp.get("/data/export.json")
def export_json() -> Response:
    audit.record(db.session, current_user.id, audit.DATA_EXPORTED, client_info(), format="json")
    db.session.commit()
    return download(data_export.iter_export_json(db.session, current_scope()),
                    "ledgerly-export.json", "application/json")


@bp.get("/data/transactions.csv")
def export_transactions_csv() -> Response:
    audit.record(db.session, current_user.id, audit.DATA_EXPORTED, client_info(), format="csv")
    db.session.commit()
    return download(data_export.iter_transactions_csv(db.session, current_scope()),
                    "ledgerly-transactions.csv", "text/csv")


@bp.post("/data/delete")
def delete() -> str | Response:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        encryption_key, hmac_key = _keys()
        try:
            delete_user(
                db.session, current_user, form.password.data or "",
                form.confirmation.data or "", form.code.data or "",
                encryption_key=encryption_key, hmac_key=hmac_key,
                attachment_dir=current_app.config["ATTACHMENT_DIR"],
                model_dir=current_app.config["MODEL_DIR"],
                client=client_info(),
            )
        except DomainError as exc:
            db.session.commit()  # keep the audit row of a wrong code
            form.confirmation.errors.append(exc.message)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash("Your account and all its data have been deleted.", "info")
            return redirect_after_post(url_for("main.home"))
    return _data_page(422, form=form)  # type: ignore[return-value]


@bp.post("/checklist/dismiss")
def dismiss_checklist() -> Response:
    """Hide the dashboard's getting-started checklist for this member (any role)."""
    if EmptyForm().validate_on_submit():
        checklist.dismiss_checklist(db.session, current_user)
        db.session.commit()
    if is_htmx():
        return Response("", status=200)
    return redirect(url_for("dashboard.index"), code=303)

