"""Routes of the accounts blueprint: list, detail, forms, net worth and exchange rates."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.money import MoneyError, input_text, parse_amount
from finance_app.services import accounts as account_service
from finance_app.services.errors import DomainError
from finance_app.services.ledger import balances as networth
from finance_app.services.ledger import rates as currency
from finance_app.web.accounts import bp
from finance_app.web.accounts.forms import AccountForm, RateForm, RateUploadForm
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope

RANGES = {"3m": 91, "6m": 183, "1y": 366, "2y": 731, "5y": 1827, "all": None}
RANGE_LABELS = {"3m": "3 months", "6m": "6 months", "1y": "1 year", "2y": "2 years",
                "5y": "5 years", "all": "All time"}
DAILY_MAX_RANGE = "1y"  # a point per day beyond a year is more table than anyone reads



def _base() -> str:
    return current_user.base_currency or "USD"


@bp.get("/")
def index() -> str:
    show_archived = request.args.get("archived") == "1"
    views = account_service.list_account_views(
        db.session, current_scope(), _base(), include_archived=show_archived
    )
    return render(
        "accounts/index.html", None, groups=account_service.group_views(views),
        summary=account_service.summarize(db.session, current_scope(), _base()),
        show_archived=show_archived,
        base_currency=_base(),
    )


def _account_input(form: AccountForm) -> account_service.AccountInput:
    return account_service.AccountInput(
        name=form.name.data or "", type=form.type.data or "checking",
        institution=form.institution.data or "", currency=form.currency.data or "USD",
        opening_balance=form.opening_balance.parsed,
        opening_date=form.opening_date.data, color=form.color.data or "#4338ca",
        icon=form.icon.data or "bank", group_name=form.group_name.data or "",
        include_in_net_worth=bool(form.include_in_net_worth.data),
        is_private=bool(form.is_private.data),
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    form = AccountForm()
    if request.method == "GET":
        form.currency.data = _base()
        form.opening_date.data = date.today()
    if form.validate_on_submit():
        try:
            account = account_service.create_account(
                db.session, current_scope(), _account_input(form)
            )
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Account “{account.name}” added.", "success")
            return redirect_after_post(url_for("accounts.detail", account_id=account.id))
    status = 422 if request.method == "POST" else 200
    return render("accounts/form.html", "account_form", form=form, account=None), status


@bp.route("/<int:account_id>/edit", methods=["GET", "POST"])
def edit(account_id: int) -> str | Response | tuple[str, int]:
    account = account_service.get_account(db.session, current_scope(), account_id)
    form = AccountForm(obj=account)
    if request.method == "GET":
        form.opening_balance.data = input_text(account.opening_balance, account.currency)
    if form.validate_on_submit():
        try:
            account_service.update_account(
                db.session, current_scope(), account.id, _account_input(form)
            )
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Account saved.", "success")
            return redirect_after_post(url_for("accounts.detail", account_id=account.id))
    status = 422 if request.method == "POST" else 200
    return render("accounts/form.html", "account_form", form=form, account=account), status


@bp.get("/<int:account_id>")
def detail(account_id: int) -> str:
    view = account_service.get_account_view(db.session, current_scope(), account_id, _base())
    return render("accounts/detail.html", None, view=view, account=view.account,
                  button_form=EmptyForm(), base_currency=_base())


@bp.post("/<int:account_id>/archive")
def archive(account_id: int) -> Response:
    archived = request.form.get("archived", "1") == "1"
    if not EmptyForm().validate_on_submit():
        abort(400)
    account = account_service.set_archived(db.session, current_scope(), account_id, archived)
    db.session.commit()
    flash(f"“{account.name}” {'archived' if archived else 'restored'}.", "success")
    return redirect_after_post(url_for("accounts.detail", account_id=account.id))


@bp.route("/<int:account_id>/delete", methods=["GET", "POST"])
def delete(account_id: int) -> str | Response:
    account = account_service.get_account(db.session, current_scope(), account_id)
    form = EmptyForm()
    if form.validate_on_submit():
        name = account.name
        count = account_service.delete_account(db.session, current_scope(), account.id)
        db.session.commit()
        flash(f"Deleted “{name}” and its {count:,} transaction{'s' if count != 1 else ''}.",
              "success")
        return redirect_after_post(url_for("accounts.index"))
    count = account_service.count_transactions(db.session, current_scope(), account.id)
    return render("accounts/delete.html", None, account=account, count=count, form=form)


@bp.get("/net-worth")
def net_worth() -> str:
    interval = request.args.get("interval", networth.MONTH)
    if interval not in networth.INTERVALS:
        interval = networth.MONTH
    span = request.args.get("range") or ("3m" if interval == networth.DAY else "all")
    if span not in RANGES:
        span = "all"
    clamped = interval == networth.DAY and (RANGES[span] or 10**6) > (RANGES[DAILY_MAX_RANGE] or 0)
    if clamped:
        span = DAILY_MAX_RANGE
    today = date.today()
    days = RANGES[span]
    start = date.fromordinal(today.toordinal() - days + 1) if days else None
    history = networth.net_worth_history(
        db.session, current_scope(), _base(), interval, start=start, end=today
    )
    return render(
        "accounts/net_worth.html", "net_worth_history", history=history, interval=interval,
        span=span, ranges=RANGE_LABELS, clamped=clamped, base_currency=_base(),
    )


# ------------------------------------------------------------------ exchange rates


def _rates_page(form: RateForm | None = None, upload: RateUploadForm | None = None,
                status: int = 200) -> tuple[str, int]:
    return render(
        "accounts/rates.html", None,
        rates=currency.list_rates(db.session, current_scope()),
        total=currency.count_rates(db.session, current_scope()),
        form=form or RateForm(), upload=upload or RateUploadForm(), button_form=EmptyForm(),
    ), status


@bp.get("/rates")
def rates() -> tuple[str, int]:
    form = RateForm()
    form.quote.data = _base()
    form.date.data = date.today()
    return _rates_page(form)


@bp.post("/rates")
def add_rate() -> Response | tuple[str, int]:
    form = RateForm()
    if form.validate_on_submit():
        try:
            value = parse_amount(form.rate.data or "", ".")
            rate = currency.set_rate(db.session, current_scope(), form.date.data,
                                     form.base.data or "", form.quote.data or "", value)
        except MoneyError:
            form.rate.errors.append("Enter a number such as 1.0842.")
        except DomainError as exc:
            form.rate.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Saved 1 {rate.base} = {rate.rate.normalize():f} {rate.quote} on "
                  f"{rate.date:%b %d, %Y}.", "success")
            return redirect_after_post(url_for("accounts.rates"))
    return _rates_page(form=form, status=422)


@bp.post("/rates/upload")
def upload_rates() -> Response | tuple[str, int]:
    upload = RateUploadForm()
    if upload.validate_on_submit():
        try:
            result = currency.import_rates_csv(
                db.session, current_scope(), upload.file.data.read(5_000_000)
            )
        except DomainError as exc:
            db.session.rollback()
            upload.file.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Imported rates: {result.created} added, {result.updated} updated.", "success")
            return redirect_after_post(url_for("accounts.rates"))
    return _rates_page(upload=upload, status=422)


@bp.post("/rates/<int:rate_id>/delete")
def delete_rate(rate_id: int) -> Response:
    if not EmptyForm().validate_on_submit():
        abort(400)
    currency.delete_rate(db.session, current_scope(), rate_id)
    db.session.commit()
    flash("Rate deleted.", "success")
    return redirect_after_post(url_for("accounts.rates"))
