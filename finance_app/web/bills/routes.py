"""Routes of the bills blueprint: the month (calendar and list), the series with their actions,
anomaly flags, and the calendar-feed link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app, flash, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.integrations.twilio import SmsNotSent
from finance_app.ml.anomaly_kinds import ANOMALY_LABELS
from finance_app.models.recurring import (
    ALERT_KIND_LABELS,
    ALERT_KINDS,
    BILL,
    CANCELLED,
    DISMISSED,
    SUBSCRIPTION,
    WEBHOOK_EVENTS,
    RecurringSeries,
)
from finance_app.money import ZERO
from finance_app.services import webhooks
from finance_app.services.alerts import preferences
from finance_app.services.errors import DomainError
from finance_app.services.ledger.periods import MONTH, add_periods, user_today
from finance_app.services.recurring import anomalies, calendar, feed, series, sms
from finance_app.tasks.alerts import sms_sender
from finance_app.tasks.webhooks import allow_private_urls, deliver_webhook_later
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.bills import bp
from finance_app.web.bills.forms import MergeForm, SeriesForm
from finance_app.web.blueprints import personal
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope


def _today() -> date:
    return user_today(current_user.timezone)


def _month_arg(today: date) -> date:
    text = (request.args.get("month") or "").strip()
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@dataclass(frozen=True)
class Insights:
    price_changes: list[RecurringSeries]
    stopped: list[RecurringSeries]
    yearly_subscriptions: dict[str, Decimal]
    subscription_count: int


def _insights(all_series: list[RecurringSeries], today: date) -> Insights:
    live = [s for s in all_series if s.status not in (DISMISSED, CANCELLED)]
    # Raises of a paycheck are good news, not a price change.
    recent_changes = [s for s in live if s.kind in (BILL, SUBSCRIPTION)
                      and s.previous_amount is not None
                      and s.amount_changed_on is not None
                      and (today - s.amount_changed_on).days <= 400]
    stopped = [s for s in live if s.kind == SUBSCRIPTION and series.is_stopped(s, today)]
    yearly: dict[str, Decimal] = {}
    running = [s for s in live if s.kind == SUBSCRIPTION and not series.is_stopped(s, today)]
    for s in running:
        yearly[s.currency] = yearly.get(s.currency, ZERO) + series.yearly_amount(s)
    return Insights(sorted(recent_changes, key=lambda s: s.amount_changed_on or today,
                           reverse=True), stopped, yearly, len(running))


@bp.get("/")
def index() -> str:
    scope, today = current_scope(), _today()
    month = _month_arg(today)
    first, last = calendar.month_bounds(month)
    bills = calendar.bills_between(db.session, scope, first, last, today)
    all_series = series.list_series(db.session, scope)
    counts = {status: sum(1 for b in bills if b.status == status)
              for status in (calendar.PAID, calendar.UPCOMING, calendar.LATE, calendar.MISSED)}
    return render(
        "bills/index.html", "bills_month", grid=calendar.month_grid(month, bills), bills=bills,
        counts=counts, month=month, today=today, insights=_insights(all_series, today),
        series_count=len(all_series), previous_month=add_periods(month, MONTH, -1),
        next_month=add_periods(month, MONTH, 1), form=EmptyForm())


# ---------------------------------------------------------------- series


@bp.get("/series")
def series_list() -> str:
    scope, today = current_scope(), _today()
    rows = series.list_series(db.session, scope, include_dismissed=True)
    return render("bills/series.html", None, rows=rows, today=today, form=EmptyForm(),
                  is_stopped=series.is_stopped)


def _account_choices(form: SeriesForm) -> None:
    accounts = series.list_series_accounts(db.session, current_scope())
    form.account_id.choices = [("", "No account")] + [(str(a.id), a.name) for a in accounts]


def _series_input(form: SeriesForm) -> series.SeriesInput:
    account = form.account_id.data or ""
    return series.SeriesInput(
        merchant=form.merchant.data or "", amount=form.amount.parsed,
        interval=form.interval.data or "", kind=form.kind.data or "",
        next_due=form.next_due.data, account_id=int(account) if account.isdigit() else None)


def _series_form_page(existing: RecurringSeries | None) -> str | Response | tuple[str, int]:
    form = SeriesForm(obj=existing)
    _account_choices(form)
    if request.method == "GET" and existing is not None:
        form.amount.data = f"{abs(existing.expected_amount):.2f}"
        form.account_id.data = str(existing.account_id or "")
    if form.validate_on_submit():
        try:
            if existing is None:
                saved = series.add_series(db.session, current_scope(), _series_input(form))
            else:
                saved = series.update_series(db.session, current_scope(), existing.id,
                                             _series_input(form))
        except DomainError as exc:
            db.session.rollback()
            form.merchant.errors = [*form.merchant.errors, exc.message]
        else:
            db.session.commit()
            flash(f"“{saved.merchant}” {'added' if existing is None else 'saved'}.", "success")
            return redirect_after_post(url_for("bills.series_list"))
    status = 422 if request.method == "POST" else 200
    return render("bills/series_form.html", None, form=form, series=existing), status


@bp.route("/series/new", methods=["GET", "POST"])
def new_series() -> str | Response | tuple[str, int]:
    return _series_form_page(None)


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
def edit_series(series_id: int) -> str | Response | tuple[str, int]:
    return _series_form_page(series.get_series(db.session, current_scope(), series_id))


@bp.route("/series/<int:series_id>/merge", methods=["GET", "POST"])
def merge_series(series_id: int) -> str | Response | tuple[str, int]:
    scope = current_scope()
    keep = series.get_series(db.session, scope, series_id)
    form = MergeForm()
    candidates = series.list_merge_candidates(db.session, scope, keep)
    form.other_id.choices = [(str(s.id), f"{s.merchant} ({s.interval_label.lower()})")
                             for s in candidates]
    if form.validate_on_submit():
        try:
            series.merge_series(db.session, scope, keep.id, form.other_id.data)
        except DomainError as exc:
            db.session.rollback()
            form.other_id.errors = [*form.other_id.errors, exc.message]
        else:
            db.session.commit()
            flash(f"Merged into “{keep.merchant}”.", "success")
            return redirect_after_post(url_for("bills.series_list"))
    status = 422 if request.method == "POST" else 200
    return render("bills/merge.html", None, form=form, series=keep,
                  candidates=candidates), status


def _series_action(series_id: int, action: Callable[..., RecurringSeries], message: str
                   ) -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        changed = action(db.session, current_scope(), series_id)
        db.session.commit()
        flash(message.format(name=changed.merchant), "success")
    else:
        series.get_series(db.session, current_scope(), series_id)  # a foreign id: 404
    return redirect_after_post(request.form.get("next") or url_for("bills.series_list"))


@bp.post("/series/<int:series_id>/confirm")
def confirm_series(series_id: int) -> Response:
    return _series_action(series_id, series.confirm_series, "Confirmed “{name}”.")


@bp.post("/series/<int:series_id>/dismiss")
def dismiss_series(series_id: int) -> Response:
    return _series_action(series_id, series.dismiss_series,
                          "Dismissed “{name}”: it will not be suggested again.")


@bp.post("/series/<int:series_id>/restore")
def restore_series(series_id: int) -> Response:
    return _series_action(series_id, series.restore_series, "Restored “{name}”.")


@bp.post("/series/<int:series_id>/cancel")
def cancel_series(series_id: int) -> Response:
    return _series_action(series_id, series.cancel_series,
                          "Marked “{name}” cancelled: a later charge will be flagged.")


# ---------------------------------------------------------------- anomalies


@bp.get("/anomalies")
def anomaly_list() -> str:
    flags = anomalies.list_flags(db.session, current_scope())
    return render("bills/anomalies.html", "anomaly_list", flags=flags, labels=ANOMALY_LABELS,
                  form=EmptyForm())


@bp.post("/anomalies/<int:flag_id>/dismiss")
def dismiss_anomaly(flag_id: int) -> Response | str:
    form = EmptyForm()
    scope = current_scope()
    if form.validate_on_submit():
        anomalies.dismiss_flag(db.session, scope, flag_id, scope.member_id)
        db.session.commit()
        flash("Marked as fine: this pattern will not be flagged again.", "success")
    else:
        anomalies.get_flag(db.session, scope, flag_id)  # a foreign id: 404
    return redirect_after_post(url_for("bills.anomaly_list"))


# ---------------------------------------------------------------- calendar feed


@bp.get("/feed")
def feed_page() -> str:
    return render("bills/feed.html", None, has_feed=feed.has_feed(db.session, current_scope()),
                  feed_url=None, form=EmptyForm())


@bp.post("/feed")
def regenerate_feed() -> str | Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect_after_post(url_for("bills.feed_page"))
    token = feed.regenerate_feed_token(db.session, current_scope())
    db.session.commit()
    # Shown once: only the hash is kept.
    return render("bills/feed.html", None, has_feed=True, form=EmptyForm(),
                  feed_url=url_for("bills_feed.ical", token=token, _external=True))


@bp.post("/feed/revoke")
def revoke_feed() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        feed.revoke_feed(db.session, current_scope())
        db.session.commit()
        flash("The calendar link no longer works.", "success")
    return redirect_after_post(url_for("bills.feed_page"))


# ---------------------------------------------------------------- alert channels


def _alerts_page(error: str = "", status: int = 200) -> tuple[str, int]:
    scope = current_scope()
    return render("bills/alerts.html", None, form=EmptyForm(), kinds=ALERT_KINDS,
                  labels=ALERT_KIND_LABELS, error=error,
                  choices=preferences.get_choices(db.session, scope, current_user.id),
                  accounts=preferences.list_cash_accounts(db.session, scope),
                  has_webhooks=bool(webhooks.list_endpoints(db.session, scope)),
                  phone=sms.get_phone(db.session, current_user.id),
                  sms_available=sms_sender() is not None), status


@bp.route("/alerts", methods=["GET", "POST"])
@personal  # the member's own choices: viewers save theirs too
def alert_settings() -> tuple[str, int] | Response:
    """Per kind: in-app always; email, text and webhook when ticked; and the member's amounts
    (a large transaction, a low balance per cash account)."""
    form = EmptyForm()
    if form.validate_on_submit():
        levels = {key.removeprefix("level-"): value for key, value in request.form.items()
                  if key.startswith("level-")}
        try:
            preferences.set_channels(db.session, current_user.id,
                                     set(request.form.getlist("email")),
                                     sms=set(request.form.getlist("sms")),
                                     webhook=set(request.form.getlist("webhook")))
            preferences.set_large_threshold(db.session, current_user.id,
                                            request.form.get("large_threshold", ""))
            preferences.set_balance_levels(db.session, current_scope(), levels)
        except DomainError as exc:
            db.session.rollback()
            return _alerts_page(exc.message, 422)
        db.session.commit()
        flash("Alert choices saved.", "success")
        return redirect_after_post(url_for("bills.alert_settings"))
    return _alerts_page()


@bp.post("/alerts/phone")
@personal
def start_phone() -> Response:
    sender = sms_sender()
    if EmptyForm().validate_on_submit():
        if sender is None:
            flash("Text messages are not set up on this server.", "warning")
        else:
            try:
                sms.start_verification(db.session, current_user.id,
                                       request.form.get("number", ""), sender)
            except (DomainError, SmsNotSent) as exc:
                db.session.rollback()
                flash(str(exc), "danger")
            else:
                db.session.commit()
                flash("We texted you a code: enter it below.", "success")
    return redirect_after_post(url_for("bills.alert_settings"))


@bp.post("/alerts/phone/verify")
@personal
def verify_phone() -> Response:
    if EmptyForm().validate_on_submit():
        try:
            sms.confirm_code(db.session, current_user.id, request.form.get("code", ""))
        except DomainError as exc:
            db.session.commit()  # the attempt counts
            flash(exc.message, "danger")
        else:
            db.session.commit()
            flash("Your phone is verified.", "success")
    return redirect_after_post(url_for("bills.alert_settings"))


@bp.post("/alerts/phone/figures")
@personal
def phone_figures() -> Response:
    if EmptyForm().validate_on_submit():
        sms.set_allow_figures(db.session, current_user.id, request.form.get("allow") == "y")
        db.session.commit()
        flash("Saved.", "success")
    return redirect_after_post(url_for("bills.alert_settings"))


# ---------------------------------------------------------------- outbound webhooks


def _webhooks_page(new_secret: str | None = None, error: str = "", status: int = 200,
                   url: str = "", events: tuple[str, ...] = ()) -> tuple[str, int]:
    return render("bills/webhooks.html", None, form=EmptyForm(), events=WEBHOOK_EVENTS,
                  endpoints=webhooks.list_endpoints(db.session, current_scope()),
                  new_secret=new_secret, error=error, url=url, chosen=events), status


@bp.route("/webhooks", methods=["GET", "POST"])
def webhook_list() -> tuple[str, int]:
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        url, events = request.form.get("url", ""), request.form.getlist("events")
        try:
            added = webhooks.add_endpoint(
                db.session, current_scope(), url, events,
                current_app.config["TOKEN_ENCRYPTION_KEY"], allow_private=allow_private_urls())
        except DomainError as exc:
            db.session.rollback()
            return _webhooks_page(error=exc.message, status=422, url=url, events=tuple(events))
        db.session.commit()
        return _webhooks_page(new_secret=added.secret)  # shown once: it is stored encrypted
    return _webhooks_page()


@bp.post("/webhooks/<int:endpoint_id>/delete")
def delete_webhook(endpoint_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        webhooks.delete_endpoint(db.session, current_scope(), endpoint_id)
        db.session.commit()
        flash("Webhook removed.", "success")
    else:
        webhooks.get_endpoint(db.session, current_scope(), endpoint_id)
    return redirect_after_post(url_for("bills.webhook_list"))


@bp.get("/webhooks/<int:endpoint_id>")
def webhook_log(endpoint_id: int) -> str:
    scope = current_scope()
    endpoint = webhooks.get_endpoint(db.session, scope, endpoint_id)
    return render("bills/webhook_log.html", None, endpoint=endpoint, form=EmptyForm(),
                  deliveries=webhooks.list_deliveries(db.session, scope, endpoint.id))


@bp.post("/webhooks/deliveries/<int:delivery_id>/resend")
def resend_webhook(delivery_id: int) -> Response:
    scope = current_scope()
    delivery = webhooks.get_delivery(db.session, scope, delivery_id)
    if EmptyForm().validate_on_submit():
        again = webhooks.resend(db.session, scope, delivery.id)
        db.session.commit()
        deliver_webhook_later(again.id, scope.household_id)
        flash("Sent again.", "success")
    return redirect_after_post(url_for("bills.webhook_log", endpoint_id=delivery.endpoint_id))
