"""Routes of the weekly email's unsubscribe link: GET shows a confirmation, POST unsubscribes.

The POST is exempt from CSRF on purpose: mail clients' one-click unsubscribe (RFC 8058) posts
`List-Unsubscribe=One-Click` to the link with no page and no cookie, and the signed token in
the URL is the authority (it only ever turns the email off)."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from finance_app.extensions import csrf, db
from finance_app.security.tokens import InvalidTokenError
from finance_app.services.weekly_summary.unsubscribe import read_unsubscribe_token, unsubscribe
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.client import client_info
from finance_app.web.weekly_email import bp


def _masked(email: str) -> str:
    """The address as the page shows it to whoever holds the link: enough to recognize."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 1)}@{domain}"


def _link_problem(exc: InvalidTokenError) -> tuple[str, int]:
    return render_template("weekly_email/link_problem.html", message=str(exc)), 400


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str | tuple[str, int]:
    try:
        user = read_unsubscribe_token(db.session, current_app.config["SECRET_KEY"], token)
    except InvalidTokenError as exc:
        return _link_problem(exc)
    return render_template("weekly_email/unsubscribe.html", form=EmptyForm(), token=token,
                           address=_masked(user.email),
                           is_subscribed=user.notify_weekly_email)


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str) -> Response | tuple[str, int]:
    try:
        unsubscribe(db.session, current_app.config["SECRET_KEY"], token, client_info())
    except InvalidTokenError as exc:
        return _link_problem(exc)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        # A mail client, not a person: nothing to show.
        return Response("Unsubscribed from the weekly summary email.\n", 200,
                        mimetype="text/plain")
    return redirect(url_for("weekly_email.unsubscribe_page", token=token), code=303)
