"""SMS through Twilio's official client: the one wrapper the app uses to send a text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client


class SmsNotSent(Exception):
    """The text message could not be sent."""


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    from_number: str
    api_base: str | None = None  # e.g. the tests' fake server; None: Twilio itself

    @classmethod
    def from_config(cls, config: Any) -> TwilioSettings | None:
        """The settings when TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _FROM_NUMBER are all set."""
        sid, token, sender = (config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN"),
                              config.get("TWILIO_FROM_NUMBER"))
        if not (sid and token and sender):
            return None
        return cls(sid, token, sender, config.get("TWILIO_API_BASE") or None)


class _ElsewhereHttpClient(TwilioHttpClient):
    """Sends the client's requests to another base URL (same paths)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, re.sub(r"^https://[^/]+", self.base_url, url),
                               *args, **kwargs)


def send_sms(settings: TwilioSettings, to: str, body: str) -> str:
    """Send `body` to `to`; the message's sid. SmsNotSent when Twilio refuses it."""
    http_client = _ElsewhereHttpClient(settings.api_base) if settings.api_base else None
    client = Client(settings.account_sid, settings.auth_token, http_client=http_client)
    try:
        message = client.messages.create(to=to, from_=settings.from_number, body=body)
    except TwilioException as exc:
        raise SmsNotSent(str(exc)) from exc
    return str(message.sid)
