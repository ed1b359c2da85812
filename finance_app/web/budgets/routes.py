"""Routes of the budgets blueprint."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.models.budget import BUDGET_PERIODS, MONTHLY, Budget
from finance_app.services.budgets import budgets
from finance_app.services.errors import DomainError
from finance_app.services.scope import owned
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.budgets import bp
from finance_app.web.budgets.forms import BudgetForm, EditBudgetForm, PeriodAmountForm
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.ledger_cache import ledger_cache, today
from finance_app.web.scope import current_scope


def _statuses() -> list[budgets.BudgetStatus]:
    return budgets.list_statuses(db.session, current_scope(), current_user.base_currency,
                                 today(), cache=ledger_cache())


def _new_form() -> BudgetForm:
    form = BudgetForm()
    form.category_id.choices = [
        (c.id, c.name if c.parent_id is None else f"— {c.name}")
        for c in budgets.list_expense_categories(db.session, current_scope())
    ]
    return form


def _page(form: BudgetForm | None = None) -> str:
    statuses = _statuses()
    by_period = {p: [s for s in statuses if s.period == p] for p in BUDGET_PERIODS}
    return render("budgets/index.html", "budget_list", by_period=by_period,
                  statuses=statuses, form=form or _new_form(), amount_form=PeriodAmountForm(),
                  button_form=EmptyForm())


@bp.get("/")
def index() -> str:
    return _page()


@bp.post("/")
def create() -> str | Response:
    form = _new_form()
    if form.validate_on_submit():
        try:
            budgets.create_budget(
                db.session, current_scope(), form.category_id.data, form.period.data or MONTHLY,
                Decimal(form.amount.data), rollover=form.rollover.data,
                rollover_overspend=form.rollover_overspend.data, today=today(),
            )
        except DomainError as exc:
            form.category_id.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Budget added.", "success")
            return redirect_after_post(url_for("budgets.index"))
    return _page(form), 422  # type: ignore[return-value]


@bp.route("/<int:budget_id>/edit", methods=["GET", "POST"])
def edit(budget_id: int) -> str | Response:
    budget = owned(db.session, Budget, budget_id, current_scope())
    form = EditBudgetForm(obj=budget)
    if form.validate_on_submit():
        budgets.update_budget(db.session, current_scope(), budget.id,
                              amount=Decimal(form.amount.data), rollover=form.rollover.data,
                              rollover_overspend=form.rollover_overspend.data)
        db.session.commit()
        flash("Budget saved.", "success")
        return redirect_after_post(url_for("budgets.index"))
    return render("budgets/edit.html", None, budget=budget, form=form,
                  button_form=EmptyForm())


@bp.post("/<int:budget_id>/delete")
def delete(budget_id: int) -> Response:
    owned(db.session, Budget, budget_id, current_scope())
    if EmptyForm().validate_on_submit():
        budgets.delete_budget(db.session, current_scope(), budget_id)
        db.session.commit()
        flash("Budget deleted.", "success")
    return redirect_after_post(url_for("budgets.index"))


@bp.post("/<int:budget_id>/amount")
def set_amount(budget_id: int) -> str | Response:
    owned(db.session, Budget, budget_id, current_scope())
    form = PeriodAmountForm()
    if form.validate_on_submit():
        budgets.set_period_amount(db.session, current_scope(), budget_id, today(),
                                  Decimal(form.amount.data))
        db.session.commit()
        flash("This period's amount is saved.", "success")
    else:
        flash("Enter an amount of zero or more.", "danger")
    return redirect_after_post(url_for("budgets.index"))


@bp.post("/copy-last-period")
def copy_last_period() -> Response:
    if EmptyForm().validate_on_submit():
        changed = budgets.copy_last_period(db.session, current_scope(), today())
        db.session.commit()
        flash(f"Copied last period's amount into {changed} budget"
              f"{'' if changed == 1 else 's'}." if changed else
              "This period already matches the last one.", "success")
    return redirect_after_post(url_for("budgets.index"))


@bp.get("/report")
def report() -> str:
    period = request.args.get("period", MONTHLY)
    period = period if period in BUDGET_PERIODS else MONTHLY
    budget_id = request.args.get("budget", type=int)
    if budget_id is not None:
        owned(db.session, Budget, budget_id, current_scope())
    statuses = _statuses()
    rows = budgets.budget_vs_actual(statuses, period, budget_id)
    return render("budgets/report.html", "budget_report", rows=rows, period=period,
                  budget_id=budget_id, statuses=statuses, periods=BUDGET_PERIODS,
                  labels=budgets.PERIOD_LABELS)
