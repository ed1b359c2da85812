"""Compose an email from `templates/email/<name>.txt` and `.html` and send it with Flask-Mail."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urljoin

from flask import current_app, has_request_context, render_template, request, url_for
from flask_mail import Message

from finance_app.config import DEFAULT_BASE_URL
from finance_app.extensions import mail

log = logging.getLogger(__name__)

_LINK = re.compile(r"https?://[^\s<>\"']+")


def link_base_url() -> str | None:
    """The base for links in mails that the current request asks for, to pass to the mail job.

    None when APP_BASE_URL is configured (it wins everywhere); else the request's own scheme and
    host, so a development server on any port sends links to itself, also from a worker.
    """
    if current_app.config.get("APP_BASE_URL") or not has_request_context():
        return None
    return request.host_url


def external_url(endpoint: str, base_url: str | None = None, **values: Any) -> str:
    """An absolute URL for a mail, right also when it is sent from a worker.

    Its base: APP_BASE_URL when set (always in production), else `base_url` (captured from
    the request that asked for the mail, see link_base_url), else the current request's host,
    else http://localhost:5000.
    """
    base = (
        current_app.config.get("APP_BASE_URL")
        or base_url
        or (request.host_url if has_request_context() else None)
        or DEFAULT_BASE_URL
    )
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return urljoin(base.rstrip("/") + "/", path.lstrip("/"))


def links_in(text: str) -> list[str]:
    """The distinct http(s) links of a mail's text, in order."""
    return list(dict.fromkeys(_LINK.findall(text)))


def send_email(to: str, subject: str, template: str, *,
               extra_headers: dict[str, str] | None = None, **context: Any) -> Message:
    """Render the pair of templates with `context` and send; `extra_headers` are added to the
    message as they are (e.g. List-Unsubscribe)."""
    message = Message(
        subject=subject,
        recipients=[to],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        extra_headers=extra_headers,
    )
    if current_app.config.get("MAIL_SUPPRESS_SEND"):
        # No mail server configured (development): make the mail visible in the log instead.
        log.warning(
            "Mail not sent (MAIL_SUPPRESS_SEND). To: %s\n%s\n\n%s", to, subject, message.body
        )
        # Each link alone on its line, so a terminal makes it clickable: the development way
        # to confirm an address, reset a password or accept an invitation without a mail server.
        for link in links_in(message.body or ""):
            log.warning("Mail link for %s (%s):\n    %s", to, subject, link)
    mail.send(message)
    return message
