"""Jinja filters: money, dates and times in the user's zone, relative times."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask
from flask_login import current_user

from finance_app.money import format_money


def _user_zone() -> ZoneInfo:
    try:
        return ZoneInfo(getattr(current_user, "timezone", None) or "UTC")
    except Exception:
        return ZoneInfo("UTC")


def local_datetime(value: datetime | None, fmt: str = "%b %d, %Y %H:%M") -> str:
    """Stored times are naive UTC; show them in the user's time zone."""
    if value is None:
        return "—"
    return value.replace(tzinfo=UTC).astimezone(_user_zone()).strftime(fmt)


def nice_date(value: date | None, fmt: str = "%b %d, %Y") -> str:
    return value.strftime(fmt) if value else "—"


def money(value: Decimal | None, currency: str | None = None, signed: bool = False) -> str:
    currency = currency or getattr(current_user, "base_currency", None) or "USD"
    return format_money(value, currency, signed=signed)


def device_name(user_agent: str | None) -> str:
    """A short human name for a browser's User-Agent: "Firefox on macOS"."""
    ua = user_agent or ""
    if not ua:
        return "Unknown device"
    browser = next(
        (name for key, name in (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
                                ("Chrome/", "Chrome"), ("Safari/", "Safari")) if key in ua),
        "Browser",
    )
    system = next(
        (name for key, name in (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
                                ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux"))
         if key in ua),
        "",
    )
    if "HeadlessChrome" in ua:
        browser = "Headless Chrome"
    return f"{browser} on {system}" if system else browser


def charted(series: list[dict]) -> bool:
    """Whether a chart has anything to draw: some non-zero value (amounts as strings)."""
    return any(Decimal(str(value or 0)) != 0 for s in series for value in s.get("data", ()))


def register(app: Flask) -> None:
    app.add_template_filter(device_name, "device_name")
    app.add_template_filter(money, "money")
    app.add_template_filter(charted, "charted")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(nice_date, "nice_date")
    # The form and chart macros are also globals, so a block rendered alone as an HTMX fragment
    # (which does not run the template's top-level imports) can still call field(), csrf() and
    # chart(). Loaded after the filters, which the macros use.
    macros = app.jinja_env.get_template("_macros/forms.html").module
    for name in ("field", "csrf", "post_button"):
        app.jinja_env.globals[name] = getattr(macros, name)
    charts = app.jinja_env.get_template("_macros/charts.html").module
    app.jinja_env.globals["chart"] = charts.chart  # type: ignore[attr-defined]
