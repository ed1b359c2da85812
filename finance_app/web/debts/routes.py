"""Routes of the debts blueprint: the list, a debt's form, delete, the plan and its download."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.exports import to_csv
from finance_app.extensions import db
from finance_app.models.debt import Debt
from finance_app.money import ZERO, MoneyError, parse_amount
from finance_app.services.debts import plans, records
from finance_app.services.debts.planner import (
    CUSTOM,
    SNOWBALL,
    STRATEGIES,
    STRATEGY_LABELS,
    PlanInputError,
)
from finance_app.services.errors import DomainError
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.debts import bp
from finance_app.web.debts.forms import DebtForm
from finance_app.web.downloads import download
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope

PALETTE = ("#4338ca", "#dc2626", "#16a34a", "#d97706", "#0891b2", "#9333ea", "#db2777",
           "#65a30d", "#0f766e", "#b45309")


def _base() -> str:
    return current_user.base_currency or "USD"


@bp.get("/")
def index() -> str:
    views = records.debt_views(db.session, current_scope())
    return render("debts/index.html", None, views=views, base_currency=_base())


def _form(debt: Debt | None) -> DebtForm:
    form = DebtForm(obj=debt)
    accounts = records.list_linkable_accounts(db.session, current_scope())
    form.account_id.choices = [("", "None: I enter the balance")] + [
        (str(a.id), f"{a.name} ({a.type_label}, {a.currency})") for a in accounts]
    if request.method == "GET":
        form.account_id.data = str(debt.account_id) if debt and debt.account_id else ""
        if debt is None:
            form.currency.data = _base()
        else:
            form.balance.data = f"{debt.balance:.2f}"
            form.apr.data = f"{debt.apr.normalize():f}"
            form.minimum_payment.data = f"{debt.minimum_payment:.2f}"
    return form


def _debt_input(form: DebtForm) -> records.DebtInput:
    account = form.account_id.data
    return records.DebtInput(
        name=form.name.data or "", kind=form.kind.data or "other",
        currency=form.currency.data or _base(), balance=form.balance.parsed,
        apr=form.apr.parsed, minimum_payment=form.minimum_payment.parsed,
        custom_rank=form.custom_rank.data or 0,
        account_id=int(account) if account and account.isdigit() else None,
    )


def _save(form: DebtForm, debt: Debt | None) -> Response | None:
    """Validate and save; None when the form has errors to show."""
    if not form.validate_on_submit():
        return None
    try:
        if debt is None:
            saved = records.create_debt(db.session, current_scope(), _debt_input(form))
        else:
            saved = records.update_debt(db.session, current_scope(), debt.id, _debt_input(form))
    except DomainError as exc:
        db.session.rollback()
        field = getattr(form, getattr(exc, "field", "name"), form.name)
        field.errors = [*field.errors, exc.message]
        return None
    db.session.commit()
    flash(f"Debt “{saved.name}” {'added' if debt is None else 'saved'}.", "success")
    return redirect_after_post(url_for("debts.index"))


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = _form(None)
    saved = _save(form, None) if request.method == "POST" else None
    if saved is not None:
        return saved
    status = 422 if request.method == "POST" else 200
    return render("debts/form.html", "debt_form", form=form, debt=None), status


@bp.route("/<int:debt_id>/edit", methods=["GET", "POST"])
def edit(debt_id: int) -> str | Response | tuple[str, int]:
    debt = records.get_debt(db.session, current_scope(), debt_id)
    form = _form(debt)
    saved = _save(form, debt) if request.method == "POST" else None
    if saved is not None:
        return saved
    status = 422 if request.method == "POST" else 200
    return render("debts/form.html", "debt_form", form=form, debt=debt), status


@bp.route("/<int:debt_id>/delete", methods=["GET", "POST"])
def delete(debt_id: int) -> str | Response:
    debt = records.get_debt(db.session, current_scope(), debt_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = records.delete_debt(db.session, current_scope(), debt.id)
        db.session.commit()
        flash(f"Deleted the debt “{name}”.", "success")
        return redirect_after_post(url_for("debts.index"))
    return render("debts/delete.html", None, debt=debt, form=form)


def _plan_arguments() -> tuple[str, str, Decimal, str | None, str | None]:
    """strategy, the extra as typed, the extra parsed, the currency, and an error message."""
    strategy = request.args.get("strategy", SNOWBALL)
    if strategy not in STRATEGIES:
        strategy = SNOWBALL
    typed = (request.args.get("extra") or "").strip()
    error = None
    extra = ZERO
    if typed:
        try:
            extra = parse_amount(typed, ".")
        except MoneyError:
            error = "Enter the extra amount as a number such as 150.00."
        else:
            if extra < 0:
                error, extra = "The extra amount must be zero or more.", ZERO
    return strategy, typed, extra, request.args.get("currency"), error


def _build(strategy: str, extra: Decimal, currency: str | None
           ) -> tuple[plans.HouseholdPlan, str | None]:
    try:
        return plans.build_plan(db.session, current_scope(), strategy, extra, currency), None
    except PlanInputError as exc:
        return plans.build_plan(db.session, current_scope(), strategy, ZERO, currency), str(exc)


@bp.get("/plan")
def plan() -> tuple[str, int]:
    strategy, typed, extra, currency, error = _plan_arguments()
    household_plan, plan_error = _build(strategy, ZERO if error else extra, currency)
    error = error or plan_error
    return render(
        "debts/plan.html", "debt_plan", hp=household_plan,
        hp_timeline=plans.timeline(household_plan), strategy=strategy,
        strategies=[(s, STRATEGY_LABELS[s]) for s in STRATEGIES], extra_text=typed,
        error=error, palette=PALETTE, custom=CUSTOM,
    ), 422 if error else 200


@bp.get("/plan.csv")
def schedule() -> Response:
    strategy, _typed, extra, currency, error = _plan_arguments()
    household_plan, _ = _build(strategy, ZERO if error else extra, currency)
    body = to_csv(plans.SCHEDULE_HEADER, plans.schedule_rows(household_plan))
    return download(body, f"debt-payoff-{strategy}.csv", "text/csv")
