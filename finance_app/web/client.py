"""Who is asking: the request's client address and browser, for audit and session rows."""

from __future__ import annotations

from flask import request

from finance_app.services.identity.audit import ClientInfo


def client_info() -> ClientInfo:
    return ClientInfo(
        ip_address=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", "")[:400],
    )
