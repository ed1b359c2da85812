"""Routes of the investments blueprint: holdings with allocation, a holding's lots, realized
gains (page and Form 8949 CSV), value over time, returns, the uploads and the lot method."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.exports import Amount, to_csv
from finance_app.extensions import db
from finance_app.models.investment import LOT_METHOD_LABELS, LOT_METHODS, SPECIFIC
from finance_app.money import MoneyError, parse_amount
from finance_app.services.accounts import AccountInput, create_account
from finance_app.services.errors import DomainError
from finance_app.services.investments import files, overview, records
from finance_app.services.investments.performance import PERIOD_LABELS, PERIODS
from finance_app.services.ledger.periods import user_today
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.downloads import download
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.investments import bp
from finance_app.web.investments.forms import (
    NEW_ACCOUNT,
    LotMethodForm,
    PricesUploadForm,
    SecurityForm,
    TradeForm,
    TradesUploadForm,
)
from finance_app.web.scope import current_scope


def _today() -> date:
    return user_today(current_user.timezone)


def _account_arg() -> int | None:
    raw = request.args.get("account", "")
    return int(raw) if raw.isdigit() else None


@bp.get("/")
def index() -> str:
    scope = current_scope()
    view = overview.holdings_view(db.session, scope, _today(), _account_arg())
    form = None
    if view.account is not None:
        form = LotMethodForm(formdata=None)
        form.method.data = records.lot_method_of(db.session, scope, view.account.id)
    return render("investments/index.html", "holdings", view=view, method_form=form)


def _trade_form(formdata: bool = True) -> TradeForm:
    form = TradeForm() if formdata else TradeForm(formdata=None)
    form.account.choices = [(str(a.id), a.name) for a in
                            records.list_investment_accounts(db.session, current_scope())]
    return form


def _security_page(security_id: int, form: TradeForm, status: int = 200) -> tuple[str, int]:
    scope = current_scope()
    lots = overview.security_lots(db.session, scope, security_id, _today())
    security_form = SecurityForm(formdata=None, obj=lots.security)
    return render("investments/security.html", None, lots=lots, today=_today(),
                  trade_form=form, security_form=security_form, specific_accounts=[
                      account_id for account_id, method in
                      records.lot_methods(db.session, scope).items() if method == SPECIFIC]), status


@bp.get("/securities/<int:security_id>")
def security(security_id: int) -> tuple[str, int]:
    return _security_page(security_id, _trade_form(formdata=False))


def _chosen_lots() -> tuple[tuple[int, Decimal], ...]:
    """The lot quantities typed on a sale (`lot_<trade id>` fields); unreadable ones skipped
    by the form's own message below."""
    chosen = []
    for name, value in request.form.items():
        if name.startswith("lot_") and name[4:].isdigit() and value.strip():
            try:
                chosen.append((int(name[4:]), parse_amount(value.strip(), ".")))
            except MoneyError:
                continue
    return tuple(chosen)


@bp.post("/securities/<int:security_id>/trades")
def add_trade(security_id: int) -> Response | tuple[str, int]:
    scope = current_scope()
    held = records.get_security(db.session, scope, security_id)
    form = _trade_form()
    if not form.validate_on_submit():
        return _security_page(held.id, form, 422)
    raw = form.account.data or ""
    trade = records.TradeInput(
        form.day.data or _today(), held.symbol, form.action.data or "", form.quantity.parsed,
        form.price.parsed, form.fees.parsed, chosen_lots=_chosen_lots())
    try:
        records.record_trade_by_hand(db.session, scope, int(raw) if raw.isdigit() else 0, trade)
    except DomainError as exc:
        db.session.rollback()
        form.quantity.errors = [*form.quantity.errors, exc.message]
        return _security_page(held.id, form, 422)
    db.session.commit()
    flash(f"Recorded the {form.action.data} of {held.symbol}.", "success")
    return redirect_after_post(url_for("investments.security", security_id=held.id))


def _gains_args() -> tuple[int, str | None]:
    raw_year = request.args.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 1900 < int(raw_year) < 3000 \
        else _today().year
    method = request.args.get("method") or None
    return year, method if method in LOT_METHODS and method != SPECIFIC else None


@bp.get("/gains")
def gains() -> str:
    year, method = _gains_args()
    report = overview.realized_gains(db.session, current_scope(), year, method)
    return render("investments/gains.html", "gains", report=report,
                  methods=[m for m in LOT_METHODS if m != SPECIFIC],
                  method_labels=LOT_METHOD_LABELS)


@bp.get("/gains.csv")
def gains_csv() -> Response:
    year, method = _gains_args()
    report = overview.realized_gains(db.session, current_scope(), year, method)
    cur = report.currency
    rows = [[Amount(cell, cur) if isinstance(cell, Decimal) else cell for cell in row]
            for row in overview.form_8949_rows(report)]
    return download(to_csv(overview.FORM_8949_HEADER, rows), f"realized-gains-{year}.csv",
                    "text/csv")


@bp.get("/history")
def history() -> str:
    account_id = _account_arg()
    loaded, points = overview.history_view(db.session, current_scope(), _today(), account_id)
    return render("investments/history.html", "value_history", loaded=loaded, points=points,
                  account_id=account_id)


@bp.get("/performance")
def performance() -> str:
    view = overview.returns_view(db.session, current_scope(), _today(),
                                 request.args.get("benchmark") or None)
    return render("investments/performance.html", "returns", view=view, periods=PERIODS,
                  period_labels=PERIOD_LABELS)


# ---------------------------------------------------------------- uploads


def _trades_form() -> TradesUploadForm:
    form = TradesUploadForm()
    accounts = records.list_investment_accounts(db.session, current_scope())
    form.account.choices = [(str(a.id), a.name) for a in accounts] + [
        (NEW_ACCOUNT, "A new investment account…")]
    if request.method == "GET" and accounts:
        form.account.data = request.args.get("account") or str(accounts[0].id)
    return form


def _upload_page(trades_form: TradesUploadForm, prices_form: PricesUploadForm,
                 status: int = 200) -> tuple[str, int]:
    return render("investments/import.html", None, trades_form=trades_form,
                  prices_form=prices_form), status


@bp.get("/import")
def upload() -> tuple[str, int]:
    return _upload_page(_trades_form(), PricesUploadForm(formdata=None))


@bp.post("/import/trades")
def upload_trades() -> Response | tuple[str, int]:
    scope = current_scope()
    form = _trades_form()
    if not form.validate_on_submit():
        return _upload_page(form, PricesUploadForm(formdata=None), 422)
    try:
        if form.account.data == NEW_ACCOUNT:
            name = (form.new_account.data or "").strip() or "Brokerage"
            account = create_account(db.session, scope, AccountInput(
                name=name, type=records.INVESTMENT, icon="graph-up",
                currency=current_user.base_currency or "USD"))
        else:
            raw = form.account.data or ""
            account = records.get_investment_account(db.session, scope,
                                                     int(raw) if raw.isdigit() else 0)
        result = files.import_trades_file(db.session, scope, account, form.file.data.read())
    except DomainError as exc:
        db.session.rollback()
        form.file.errors = [*form.file.errors, exc.message]
        return _upload_page(form, PricesUploadForm(formdata=None), 422)
    db.session.commit()
    flash(f"Imported {result.added} trades into “{account.name}”"
          f"{f' ({result.duplicates} were already there)' if result.duplicates else ''}.",
          "success")
    return redirect_after_post(url_for("investments.index", account=account.id))


@bp.post("/import/prices")
def upload_prices() -> Response | tuple[str, int]:
    form = PricesUploadForm()
    if not form.validate_on_submit():
        return _upload_page(_trades_form(), form, 422)
    try:
        result = files.import_prices_file(db.session, current_scope(), form.file.data.read())
    except DomainError as exc:
        db.session.rollback()
        form.file.errors = [*form.file.errors, exc.message]
        return _upload_page(_trades_form(), form, 422)
    db.session.commit()
    flash(f"Recorded {result.added} new prices ({result.duplicates} replaced).", "success")
    return redirect_after_post(url_for("investments.index"))


@bp.post("/accounts/<int:account_id>/method")
def set_method(account_id: int) -> Response:
    scope = current_scope()
    account = records.get_investment_account(db.session, scope, account_id)
    form = LotMethodForm()
    if form.validate_on_submit():
        try:
            records.set_lot_method(db.session, scope, account.id, form.method.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(f"“{account.name}” now sells lots by "
                  f"{LOT_METHOD_LABELS[form.method.data or '']}.", "success")
    return redirect_after_post(url_for("investments.index", account=account.id))


@bp.post("/trades/<int:trade_id>/delete")
def delete_trade(trade_id: int) -> Response:
    scope = current_scope()
    trade = records.get_trade(db.session, scope, trade_id)
    security_id = trade.security_id
    if EmptyForm().validate_on_submit():
        try:
            records.delete_trade(db.session, scope, trade.id)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash("Trade removed.", "success")
    return redirect_after_post(url_for("investments.security", security_id=security_id))


@bp.post("/securities/<int:security_id>/edit")
def edit_security(security_id: int) -> Response:
    scope = current_scope()
    held = records.get_security(db.session, scope, security_id)
    form = SecurityForm()
    if form.validate_on_submit():
        try:
            records.update_security(db.session, scope, held.id, name=form.name.data or "",
                                    kind=form.kind.data or "")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash(f"Saved {held.symbol}.", "success")
    return redirect_after_post(url_for("investments.security", security_id=held.id))
