"""SMS through Twilio's official client: the one wrapper the app uses to send a text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


def send_sms(settings: TwilioSettings, to: str, body: str) -> str:
    """Send `body` to `to`; the message's sid. SmsNotSent when Twilio refuses it."""
    from finance_app.integrations.twilio.client import TwilioException, create_message

    try:
        return create_message(settings.account_sid, settings.auth_token, settings.api_base, to,
                              settings.from_number, body)
    except TwilioException as exc:
        raise SmsNotSent(str(exc)) from exc
