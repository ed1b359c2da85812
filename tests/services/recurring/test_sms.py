"""SMS alerts through the official twilio client pointed at a fake Twilio server: the phone is
verified by a code first, a text goes once per alert, and carries figures only when allowed."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from finance_app.extensions import db
from finance_app.integrations.twilio import TwilioSettings, send_sms
from finance_app.models.recurring import BILL_DUE
from finance_app.services.recurring import alerts, sms
from finance_app.tasks.recurring import detect_recurring_job
from tests.factories import make_user, scope_of
from tests.services.recurring.conftest import netflix_household

SID = "AC" + "0" * 32


class FakeTwilio:
    """Answers POST /2010-04-01/Accounts/<sid>/Messages.json like Twilio, recording each."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                fake.messages.append({"path": self.path, **form,
                                      "auth": self.headers.get("Authorization", "")})
                body = json.dumps({"sid": f"SM{len(fake.messages):032d}", "status": "queued",
                                   "to": form.get("To"), "from": form.get("From"),
                                   "body": form.get("Body"), "account_sid": SID}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def code(self) -> str:
        return self.messages[-1]["Body"].split("code is ")[1][:6]


@pytest.fixture()
def twilio():
    fake = FakeTwilio()
    yield fake
    fake.close()


@pytest.fixture()
def settings(twilio) -> TwilioSettings:
    return TwilioSettings(SID, "secret-token", "+15005550006", twilio.url)


def test_the_official_client_reaches_the_fake_server(settings, twilio):
    assert send_sms(settings, "+14155550123", "Hello").startswith("SM")
    [message] = twilio.messages
    assert message["path"] == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert (message["To"], message["From"], message["Body"]) == (
        "+14155550123", "+15005550006", "Hello")
    assert message["auth"].startswith("Basic ")


def test_a_phone_is_verified_by_a_code_first(ctx, settings, twilio):
    user = make_user()
    sender = lambda to, body: send_sms(settings, to, body)  # noqa: E731
    with pytest.raises(sms.PhoneInvalid):
        sms.start_verification(db.session, user.id, "555-0123", sender)
    phone = sms.start_verification(db.session, user.id, "+1 (415) 555-0123", sender)
    assert phone.number == "+14155550123" and phone.verified_at is None
    code = twilio.code()
    with pytest.raises(sms.CodeWrong):
        sms.confirm_code(db.session, user.id, "000000" if code != "000000" else "111111")
    assert sms.confirm_code(db.session, user.id, code).verified_at is not None


def _verified(user, settings, twilio, *, figures: bool) -> None:
    sender = lambda to, body: send_sms(settings, to, body)  # noqa: E731
    sms.start_verification(db.session, user.id, "+14155550123", sender)
    sms.confirm_code(db.session, user.id, twilio.code())
    sms.set_allow_figures(db.session, user.id, figures)
    alerts.set_email_kinds(db.session, user.id, set(), sms={BILL_DUE})
    db.session.commit()


@pytest.mark.parametrize("figures", [False, True])
def test_an_alert_is_texted_once_with_figures_only_when_allowed(app, settings, twilio, figures):
    app.config.update(TWILIO_ACCOUNT_SID=SID, TWILIO_AUTH_TOKEN="secret-token",
                      TWILIO_FROM_NUMBER="+15005550006", TWILIO_API_BASE=twilio.url)
    with app.app_context():
        user = make_user()
        netflix_household(user, months=5)
        _verified(user, settings, twilio, figures=figures)
        household = scope_of(user).household_id
        # Jun 28: July's rent is due in 3 days: one alert, texted once.
        first = detect_recurring_job(household, "2025-06-28")
        again = detect_recurring_job(household, "2025-06-28")
    assert (first["alerts"], first["texts"], again["texts"]) == (1, 1, 0)
    [text] = [m["Body"] for m in twilio.messages[1:]]
    if figures:
        assert text == "Ledgerly: Landlord is due on Jul 01. About $1,200.00."
    else:
        assert text == "Ledgerly: Landlord is due on Jul 01."
    assert twilio.messages[-1]["To"] == "+14155550123"


def test_no_figures_unless_allowed():
    from finance_app.models.recurring import AlertSend

    send = AlertSend(title="Landlord is due on Jul 01", body="About $1,200.00.")
    assert sms.alert_text(send, False) == "Ledgerly: Landlord is due on Jul 01."
    assert sms.alert_text(send, True) == "Ledgerly: Landlord is due on Jul 01. About $1,200.00."
