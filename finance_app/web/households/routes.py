"""Routes of the households blueprint and of joining by invitation link."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, flash, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import enqueue
from finance_app.notifications.email import link_base_url
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.households import invitations, membership
from finance_app.services.identity import audit
from finance_app.tasks.household_mail import send_invitation_email
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.client import client_info
from finance_app.web.households import bp, invitations_bp
from finance_app.web.households.forms import DeleteHouseholdForm, InviteForm, RenameForm, RoleForm
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope

T = TypeVar("T")


def _page(invite_form: InviteForm | None = None, rename_form: RenameForm | None = None) -> str:
    scope = current_scope()
    household = membership.get_household(db.session, scope)
    events = (audit.list_household_events(db.session, scope.household_id, limit=50)
              if scope.is_owner else [])
    return render(
        "households/index.html", None, household=household, scope=scope,
        members=membership.list_members(db.session, scope.household_id),
        open_invitations=invitations.list_open_invitations(db.session, scope),
        invite_form=invite_form or InviteForm(),
        rename_form=rename_form or RenameForm(name=household.name),
        role_form=RoleForm(), empty_form=EmptyForm(), events=events,
        event_labels=audit.LABELS,
    )


@bp.get("/")
def index() -> str:
    return _page()


def _done(message: str, category: str = "success") -> Response:
    flash(message, category)
    return redirect_after_post(url_for("households.index"))


@bp.post("/invite")
def invite() -> str | Response:
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(invite_form=form), 400  # type: ignore[return-value]
    try:
        invitation = invitations.create_invitation(
            db.session, current_scope(), form.email.data or "", form.role.data or "",
            client_info())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        form.email.errors = [exc.message]
        return _page(invite_form=form), 400  # type: ignore[return-value]
    enqueue(send_invitation_email, invitation.id, user_id=current_user.id,
            household_id=invitation.household_id, name="invitation email",
            description=f"Inviting {invitation.email}", base_url=link_base_url())
    return _done(f"Invitation sent to {invitation.email}. The link works for "
                 f"{invitations.INVITATION_DAYS} days.")


def _commit(action: Callable[[], T]) -> T | DomainError:
    """Run a membership change and commit it; a refusal is rolled back and returned for the
    page to say (a foreign id stays a 404)."""
    try:
        result = action()
        db.session.commit()
    except NotFound:
        raise
    except DomainError as exc:
        db.session.rollback()
        return exc
    return result


def _act(action: Callable[[], object], success: str) -> Response:
    if not EmptyForm().validate_on_submit():
        return _done("Your form expired. Please try again.", "danger")
    outcome = _commit(action)
    if isinstance(outcome, DomainError):
        return _done(outcome.message, "danger")
    return _done(success)


@bp.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int) -> Response:
    return _act(lambda: invitations.revoke_invitation(
        db.session, current_scope(), invitation_id, client_info()), "Invitation withdrawn.")


@bp.post("/members/<int:user_id>/role")
def change_role(user_id: int) -> Response:
    form = RoleForm()
    if not form.validate_on_submit():
        return _done(membership.InvalidRole().message, "danger")
    member = _commit(lambda: membership.set_role(db.session, current_scope(), user_id,
                                                 form.role.data or "", client_info()))
    if isinstance(member, DomainError):
        return _done(member.message, "danger")
    return _done(f"{member.user.display_name} is now {member.role_label.lower()}.")


@bp.post("/members/<int:user_id>/remove")
def remove_member(user_id: int) -> Response:
    return _act(lambda: membership.remove_member(db.session, current_scope(), user_id,
                                                 client_info()), "Member removed.")


@bp.post("/members/<int:user_id>/make-owner")
def make_owner(user_id: int) -> Response:
    return _act(lambda: membership.transfer_ownership(db.session, current_scope(), user_id,
                                                      client_info()),
                "Ownership transferred; you are now an editor.")


@bp.post("/rename")
def rename() -> str | Response:
    form = RenameForm()
    if not form.validate_on_submit():
        return _page(rename_form=form), 400  # type: ignore[return-value]
    return _act(lambda: membership.rename_household(db.session, current_scope(),
                                                    form.name.data or "", client_info()),
                "Household renamed.")


@bp.post("/leave")
def leave() -> Response:
    if not EmptyForm().validate_on_submit():
        return _done("Your form expired. Please try again.", "danger")
    try:
        membership.leave_household(db.session, current_scope(), current_user, client_info())
        db.session.commit()
    except NotFound:
        raise
    except DomainError as exc:
        db.session.rollback()
        return _done(exc.message, "danger")
    flash("You left the household.", "success")
    return redirect_after_post(url_for("dashboard.index"))


@bp.route("/delete", methods=["GET", "POST"])
def delete() -> str | Response:
    form = DeleteHouseholdForm()
    scope = current_scope()
    household = membership.get_household(db.session, scope)
    if form.validate_on_submit():
        try:
            membership.delete_household(
                db.session, scope, form.confirmation.data or "",
                attachment_dir=current_app.config["ATTACHMENT_DIR"],
                model_dir=current_app.config["MODEL_DIR"], client=client_info())
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            form.confirmation.errors = [exc.message]
        else:
            flash(f"“{household.name}” and everything in it was deleted.", "success")
            return redirect_after_post(url_for("dashboard.index"))
    return render("households/delete.html", None, form=form, household=household, scope=scope)


@bp.post("/switch")
def switch() -> Response:
    if EmptyForm().validate_on_submit():
        chosen = membership.switch_household(db.session, current_user,
                                             request.form.get("household_id", ""))
        db.session.commit()
        flash(f"Now showing “{chosen.household.name}”.", "success")
    target = request.form.get("next", "")
    return redirect_after_post(target if target.startswith("/") and not target.startswith("//")
                               else url_for("dashboard.index"))


# ---------------------------------------------------------------- joining by link


@invitations_bp.get("/<token>")
def show(token: str) -> str:
    try:
        invitation = invitations.read_invitation(db.session, token,
                                                 current_app.config["SECRET_KEY"])
    except invitations.InvitationInvalid as exc:
        return render("households/join.html", None, problem=exc.message, invitation=None,
                      token=token, form=EmptyForm()), 410  # type: ignore[return-value]
    return render("households/join.html", None, problem=None, invitation=invitation,
                  token=token, form=EmptyForm())


@invitations_bp.post("/<token>")
def accept(token: str) -> str | Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=url_for("invitations.show", token=token)),
                        code=303)
    form = EmptyForm()
    if not form.validate_on_submit():
        return show(token)
    try:
        joined = invitations.accept_invitation(db.session, token, current_user,
                                               current_app.config["SECRET_KEY"], client_info())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return render("households/join.html", None, problem=exc.message, invitation=None,
                      token=token, form=form), 400  # type: ignore[return-value]
    flash(f"Welcome to “{joined.household.name}”.", "success")
    return redirect_after_post(url_for("dashboard.index"))
