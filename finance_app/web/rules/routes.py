"""Routes of the rules blueprint: list, edit with a live preview, order, apply to the past."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.models.job import Job
from finance_app.services.categorization import rules
from finance_app.services.errors import DomainError, NotFound
from finance_app.services.scope import Scope, owned
from finance_app.services.transactions.choices import list_choices
from finance_app.tasks.categorization import apply_rule_later
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.htmx import is_htmx, redirect_after_post, render
from finance_app.web.rules import bp
from finance_app.web.rules.forms import MAX_ROWS, RuleForm
from finance_app.web.scope import current_scope


def _scope() -> Scope:
    return current_scope()


@bp.get("/")
def index() -> str:
    uid = _scope()
    choices = list_choices(db.session, uid)
    names = {c.id: c.name for g in choices.groups for c in [g.group, *g.leaves]}
    accounts = dict(choices.account_options())
    return render("rules/index.html", None, rules=rules.list_rules(db.session, uid),
                  category_names=names, account_names=accounts, button_form=EmptyForm())


def _form(rule_id: int | None = None) -> RuleForm:
    form = RuleForm()
    choices = list_choices(db.session, _scope())
    form.set_choices(choices.category_options(blank="Leave as it is"), choices.account_options())
    return form


def _editor(form: RuleForm, rule_id: int | None, preview: rules.Preview | None = None,
            status: int = 200) -> tuple[str, int]:
    choices = list_choices(db.session, _scope())
    block = "rule_preview" if preview is not None and is_htmx() else None
    return render("rules/form.html", block, form=form, rule_id=rule_id, preview=preview,
                  currency_of=choices.currency_of), status


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | tuple[str, int]:
    return _edit(None)


@bp.route("/<int:rule_id>/edit", methods=["GET", "POST"])
def edit(rule_id: int) -> Response | tuple[str, int]:
    return _edit(rule_id)


def _edit(rule_id: int | None) -> Response | tuple[str, int]:
    uid = _scope()
    form = _form()
    if request.method == "GET":
        if rule_id is not None:
            form.fill_from(rules.input_from_rule(rules.get_rule(db.session, uid, rule_id)))
        else:
            form.fill_from(rules.RuleInput(name="", conditions=[
                {"field": "description", "op": "contains", "value": request.args.get("q", "")}
            ]))
        form.set_choices(*_option_lists())
        return _editor(form, rule_id)
    if rule_id is not None:
        rules.get_rule(db.session, uid, rule_id)  # a foreign id is a 404 before anything else
    if "add_condition" in request.form and len(form.conditions.entries) < MAX_ROWS:
        form.conditions.append_entry()
        form.set_choices(*_option_lists())
        return _editor(form, rule_id)
    if not form.validate_on_submit():
        return _editor(form, rule_id, status=422)
    data = form.to_input()
    try:
        if "preview" in request.form:
            return _editor(form, rule_id, rules.preview_rule(db.session, uid, data))
        if rule_id is None:
            rule = rules.create_rule(db.session, uid, data)
        else:
            rule = rules.update_rule(db.session, uid, rule_id, data)
    except NotFound:
        raise
    except DomainError as exc:
        form.name.errors = [*form.name.errors, exc.message]
        return _editor(form, rule_id, status=422)
    db.session.commit()
    if form.apply_to_past.data:
        job = apply_rule_later(uid, rule.id)
        return redirect_after_post(url_for("rules.applying", job_id=job.id))
    flash(f"Rule “{rule.name}” saved.", "success")
    return redirect_after_post(url_for("rules.index"))


def _option_lists() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    choices = list_choices(db.session, _scope())
    return choices.category_options(blank="Leave as it is"), choices.account_options()


@bp.post("/preview")
def preview() -> Response | tuple[str, int]:
    """The live preview (HTMX): which existing transactions the rule being edited matches."""
    form = _form()
    rule_id = request.form.get("rule_id", type=int)
    if rule_id is not None:
        rules.get_rule(db.session, _scope(), rule_id)
    if not form.validate_on_submit():
        return _editor(form, rule_id, status=422)
    try:
        result = rules.preview_rule(db.session, _scope(), form.to_input())
    except NotFound:
        raise
    except DomainError as exc:
        return render("rules/_preview.html", None, preview=None, problem=exc.message), 200
    return render("rules/_preview.html", None, preview=result, problem=None,
                  currency_of=list_choices(db.session, _scope()).currency_of), 200


@bp.post("/<int:rule_id>/delete")
def delete(rule_id: int) -> Response:
    rules.get_rule(db.session, _scope(), rule_id)
    if EmptyForm().validate_on_submit():
        rules.delete_rule(db.session, _scope(), rule_id)
        db.session.commit()
        flash("Rule deleted.", "success")
    return redirect_after_post(url_for("rules.index"))


@bp.post("/<int:rule_id>/move/<direction>")
def move(rule_id: int, direction: str) -> Response:
    rules.get_rule(db.session, _scope(), rule_id)
    if EmptyForm().validate_on_submit():
        rules.move_rule(db.session, _scope(), rule_id, direction)
        db.session.commit()
    return redirect_after_post(url_for("rules.index"))


@bp.post("/<int:rule_id>/apply")
def apply(rule_id: int) -> Response:
    rules.get_rule(db.session, _scope(), rule_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("rules.index"))
    job = apply_rule_later(_scope(), rule_id)
    return redirect_after_post(url_for("rules.applying", job_id=job.id))


@bp.get("/applying/<job_id>")
def applying(job_id: str) -> str:
    from finance_app.jobs import get_progress

    job = owned(db.session, Job, job_id, _scope())
    percent, message = get_progress(job)
    return render("rules/applying.html", None, job=job, percent=percent, message=message)
