"""Styled error pages (400/403/404/405/413/429/500) and domain errors mapped to HTTP."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from finance_app.services.errors import NotFound

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Forbidden", "You don't have access to this page."),
    404: ("Page not found", "We couldn't find what you were looking for."),
    405: ("Not allowed", "That action isn't allowed here."),
    413: ("File too large", "That file is larger than the upload limit. Try a smaller file."),
    429: (
        "Too many attempts",
        "You've tried that too many times. Please wait a minute and try again.",
    ),
    500: ("Something went wrong", "An unexpected error happened. We've logged it."),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    title, message = MESSAGES.get(code, MESSAGES[500])
    if code == 413 and request.max_content_length:
        limit_mb = request.max_content_length // (1024 * 1024)
        message = f"That file is larger than the {limit_mb} MB upload limit. Try a smaller file."
    return (
        render_template("errors/error.html", code=code, title=title, message=detail or message),
        code,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(400, "Your form expired or was missing its security token. "
                                 "Reload the page and try again.")

    @app.errorhandler(NotFound)
    def domain_not_found(error: NotFound) -> tuple[str, int]:
        return render_error(404)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        # A description given to abort() is meant for the person; werkzeug's default is not,
        # nor is Flask-Limiter's (the limit itself, e.g. "3 per 1 minute").
        custom = error.description if error.description != type(error).description else None
        if isinstance(error, RateLimitExceeded):
            custom = None
        return render_error(error.code, custom)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error on %s %s", request.method, request.path)
        from finance_app.extensions import db

        db.session.rollback()
        return render_error(500)
