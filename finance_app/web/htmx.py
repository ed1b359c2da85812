"""HTMX helpers: one URL serves the full page and its fragment; redirects that suit both."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_boosted() -> bool:
    return request.headers.get("HX-Boosted") == "true"


def is_history_restore() -> bool:
    """htmx re-fetching a page for back/forward when its cache missed: it needs the full page."""
    return request.headers.get("HX-History-Restore-Request") == "true"


def wants_fragment() -> bool:
    return is_htmx() and not is_boosted() and not is_history_restore()


def htmx_target() -> str | None:
    return request.headers.get("HX-Target")


def render(template: str, block: str | None = None, **context: Any) -> str:
    """The full page, or only `block` when HTMX asked for a fragment (and not for a boost).

    The block name is, by convention, the id of the element it fills.
    """
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)


def redirect_after_post(location: str) -> Response:
    """303 for a plain form post; `HX-Redirect` for HTMX so the browser does a full navigation."""
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)  # type: ignore[return-value]
