"""Routes of the goals blueprint: the list, a goal's page with its what-if, the goal's form,
delete, and contributions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.models.goal import Goal
from finance_app.models.ledger import Account
from finance_app.money import MoneyError, format_money, parse_amount
from finance_app.services.errors import DomainError
from finance_app.services.goals import milestones, progress, recommendations, records
from finance_app.services.ledger.periods import user_today
from finance_app.tasks.goals import email_new_milestones
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.goals import bp
from finance_app.web.goals.forms import ContributionForm, GoalForm
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope


def _today() -> date:
    return user_today(current_user.timezone)


def _record_milestones() -> None:
    """After a committed change: milestones it reached are recorded, announced and emailed."""
    reached = milestones.evaluate_milestones(db.session, current_scope().household_id, _today())
    db.session.commit()
    if reached:
        email_new_milestones(reached)


@bp.get("/")
def index() -> str:
    scope = current_scope()
    goals = records.list_goals(db.session, scope)
    overviews = progress.list_goal_overviews(db.session, scope, goals, _today())
    return render("goals/index.html", None, overviews=overviews)


# ---------------------------------------------------------------- the goal's form


@dataclass
class LinkRow:
    """An account as the form shows it: checked or not, with its set amount as typed."""

    account: Account
    checked: bool
    amount: str


@dataclass
class LinkChoice:
    rows: list[LinkRow]
    links: list[records.LinkInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _link_choice(goal: Goal | None) -> LinkChoice:
    """The linkable accounts; on a post, what was chosen (every submitted id goes to the
    service, which refuses any that is not the household's)."""
    accounts = records.list_linkable_accounts(db.session, current_scope())
    if request.method != "POST":
        current = {link.account_id: link.amount for link in goal.links} if goal else {}
        return LinkChoice([LinkRow(a, a.id in current, "" if current.get(a.id) is None
                                   else f"{current[a.id]:.2f}") for a in accounts])
    chosen = request.form.getlist("account_ids")
    choice = LinkChoice([LinkRow(a, str(a.id) in chosen, request.form.get(f"amount_{a.id}", ""))
                         for a in accounts])
    for raw_id in chosen:
        if not raw_id.isdigit():
            choice.errors.append("That account is not one of this household's accounts.")
            continue
        typed = request.form.get(f"amount_{raw_id}", "").strip()
        amount: Decimal | None = None
        if typed:
            try:
                amount = parse_amount(typed, ".")
            except MoneyError:
                choice.errors.append(f"Enter the set amount as a number such as 5000.00, "
                                     f"not “{typed}”.")
                continue
            if amount <= 0:
                choice.errors.append("A set amount must be more than zero (leave it empty to "
                                     "count the whole balance).")
                continue
        choice.links.append(records.LinkInput(int(raw_id), amount))
    return choice


def _form(goal: Goal | None) -> GoalForm:
    form = GoalForm(obj=goal)
    form.today = _today()
    if request.method == "GET":
        if goal is None:
            form.currency.data = current_user.base_currency or "USD"
        else:
            form.target_amount.data = f"{goal.target_amount:.2f}"
    return form


def _save(form: GoalForm, choice: LinkChoice, goal: Goal | None) -> Response | None:
    """Validate and save; None when the form has errors to show (nothing changed)."""
    valid = form.validate_on_submit()
    if not valid or choice.errors:
        return None
    data = records.GoalInput(
        name=form.name.data or "", target_amount=form.target_amount.parsed,
        kind=form.kind.data or "custom", currency=form.currency.data or "USD",
        target_date=form.target_date.data, notes=form.notes.data or "", links=choice.links)
    try:
        if goal is None:
            saved = records.create_goal(db.session, current_scope(), data, _today())
        else:
            saved = records.update_goal(db.session, current_scope(), goal.id, data, _today())
    except DomainError as exc:
        db.session.rollback()
        name = getattr(exc, "field", "name")
        if name == "accounts":
            choice.errors.append(exc.message)
        else:
            target = getattr(form, name, form.name)
            target.errors = [*target.errors, exc.message]
        return None
    db.session.commit()
    _record_milestones()
    flash(f"Goal “{saved.name}” {'added' if goal is None else 'saved'}.", "success")
    return redirect_after_post(url_for("goals.detail", goal_id=saved.id))


def _form_page(goal: Goal | None) -> str | Response | tuple[str, int]:
    form = _form(goal)
    choice = _link_choice(goal)
    saved = _save(form, choice, goal) if request.method == "POST" else None
    if saved is not None:
        return saved
    status = 422 if request.method == "POST" else 200
    return render("goals/form.html", "goal_form", form=form, goal=goal, choice=choice,
                  today=_today()), status


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    return _form_page(None)


@bp.route("/<int:goal_id>/edit", methods=["GET", "POST"])
def edit(goal_id: int) -> str | Response | tuple[str, int]:
    return _form_page(records.get_goal(db.session, current_scope(), goal_id))


@bp.route("/<int:goal_id>/delete", methods=["GET", "POST"])
def delete(goal_id: int) -> str | Response:
    goal = records.get_goal(db.session, current_scope(), goal_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = records.delete_goal(db.session, current_scope(), goal.id)
        db.session.commit()
        flash(f"Deleted the goal “{name}”.", "success")
        return redirect_after_post(url_for("goals.index"))
    return render("goals/delete.html", None, goal=goal, form=form)


# ---------------------------------------------------------------- the goal's page


@dataclass(frozen=True)
class WhatIfArguments:
    monthly_text: str
    by_text: str
    monthly: Decimal | None
    by: date | None
    errors: tuple[str, ...]


def _what_if_arguments(today: date) -> WhatIfArguments:
    monthly_text = (request.args.get("monthly") or "").strip()
    by_text = (request.args.get("by") or "").strip()
    errors = []
    monthly = by = None
    if monthly_text:
        try:
            monthly = parse_amount(monthly_text, ".")
        except MoneyError:
            errors.append("Enter the monthly amount as a number such as 400.00.")
        else:
            if monthly < 0:
                errors.append("The monthly amount must be zero or more.")
                monthly = None
    if by_text:
        try:
            by = date.fromisoformat(by_text)
        except ValueError:
            errors.append("Enter the target date as a date such as 2027-06-30.")
        else:
            if by < today:
                errors.append("The target date is in the past: pick today or a later day.")
                by = None
    return WhatIfArguments(monthly_text, by_text, monthly, by, tuple(errors))


@bp.get("/<int:goal_id>")
def detail(goal_id: int) -> tuple[str, int]:
    scope = current_scope()
    today = _today()
    goal = records.get_goal(db.session, scope, goal_id)
    overview = progress.goal_overview(db.session, scope, goal, today)
    args = _what_if_arguments(today)
    what_if = overview.what_if(args.monthly, args.by)
    by = args.by or goal.target_date
    gap = (what_if.required - what_if.projection.monthly
           if what_if.required is not None and not overview.is_reached else Decimal(0))
    advice = recommendations.recommendations_for(db.session, scope, gap, goal.currency, today)
    return render(
        "goals/detail.html", "goal_whatif", goal=goal, overview=overview, args=args,
        what_if=what_if, by=by, gap=gap, advice=advice,
        milestones=milestones.list_milestones(db.session, scope, goal.id),
        contribution_form=ContributionForm(formdata=None), history_months=recommendations
        .HISTORY_MONTHS,
    ), 422 if args.errors else 200


# ---------------------------------------------------------------- contributions


@bp.post("/<int:goal_id>/contributions")
def add_contribution(goal_id: int) -> str | Response | tuple[str, int]:
    scope = current_scope()
    goal = records.get_goal(db.session, scope, goal_id)
    form = ContributionForm()
    if form.validate_on_submit():
        try:
            records.add_contribution(db.session, scope, goal.id, form.amount.parsed,
                                     form.day.data or _today(), _today(), form.note.data or "")
        except DomainError as exc:
            db.session.rollback()
            target = getattr(form, getattr(exc, "field", "amount"), form.amount)
            target.errors = [*target.errors, exc.message]
        else:
            db.session.commit()
            _record_milestones()
            flash(f"Recorded {format_money(form.amount.parsed, goal.currency)} toward "
                  f"“{goal.name}”.", "success")
            return redirect_after_post(url_for("goals.detail", goal_id=goal.id))
    return render("goals/contribution.html", "contribution_form", goal=goal,
                  contribution_form=form), 422


@bp.post("/<int:goal_id>/contributions/<int:contribution_id>/delete")
def delete_contribution(goal_id: int, contribution_id: int) -> Response:
    goal = records.get_goal(db.session, current_scope(), goal_id)
    if EmptyForm().validate_on_submit():
        records.delete_contribution(db.session, current_scope(), goal.id, contribution_id)
        db.session.commit()
        flash("Contribution removed.", "success")
    return redirect_after_post(url_for("goals.detail", goal_id=goal_id))
