"""Compose an email from `templates/email/<name>.txt` and `.html` and send it with Flask-Mail."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from flask import current_app, render_template, url_for
from flask_mail import Message

from finance_app.extensions import mail

log = logging.getLogger(__name__)


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL built from APP_BASE_URL, so links are right when sent from a worker."""
    with current_app.test_request_context("/"):
        path = url_for(endpoint, **values)
    return urljoin(current_app.config["APP_BASE_URL"].rstrip("/") + "/", path.lstrip("/"))


def send_email(to: str, subject: str, template: str, **context: Any) -> Message:
    message = Message(
        subject=subject,
        recipients=[to],
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )
    if current_app.config.get("MAIL_SUPPRESS_SEND"):
        # No mail server configured (development): make the mail visible in the log instead.
        log.warning(
            "Mail not sent (MAIL_SUPPRESS_SEND). To: %s\n%s\n\n%s", to, subject, message.body
        )
    mail.send(message)
    return message
