"""Twilio's client, imported only when a text is sent (twilio pulls in requests: ~50 ms that
every start of the app and of `flask` would pay otherwise)."""

from __future__ import annotations

import re
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client


class ElsewhereHttpClient(TwilioHttpClient):
    """Sends the client's requests to another base URL (same paths)."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=10)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, re.sub(r"^https://[^/]+", self.base_url, url),
                               *args, **kwargs)


def create_message(account_sid: str, auth_token: str, api_base: str | None, to: str,
                   from_number: str, body: str) -> str:
    """The sid of the message sent; TwilioException when Twilio refuses it."""
    http_client = ElsewhereHttpClient(api_base) if api_base else None
    client = Client(account_sid, auth_token, http_client=http_client)
    return str(client.messages.create(to=to, from_=from_number, body=body).sid)


__all__ = ["TwilioException", "create_message"]
