"""A member's phone for SMS alerts: a code texted to it must come back before anything else is
sent; alert texts carry no figures unless the member allows it."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from finance_app.db import DbSession, utcnow
from finance_app.models.recurring import AlertPreference, AlertSend, SmsPhone
from finance_app.services.errors import DomainError

CODE_MINUTES, MAX_CODE_ATTEMPTS = 10, 5
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
Sender = Callable[[str, str], str]  # (to, body) -> message id


class PhoneInvalid(DomainError):
    """Enter the number in international form, e.g. +14155550123."""


class CodeWrong(DomainError):
    """That code is wrong or has expired: ask for a new one."""


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def get_phone(session: DbSession, user_id: int) -> SmsPhone | None:
    return session.scalar(select(SmsPhone).where(SmsPhone.user_id == user_id))


def start_verification(session: DbSession, user_id: int, number: str, send: Sender) -> SmsPhone:
    """Text a 6-digit code to `number`; the phone is unverified until it comes back."""
    number = re.sub(r"[\s().-]", "", number)
    if not E164.match(number):
        raise PhoneInvalid()
    phone = get_phone(session, user_id) or SmsPhone(user_id=user_id, number=number)
    session.add(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    phone.number, phone.verified_at = number, None
    phone.code_hash, phone.code_attempts = _hash(code), 0
    phone.code_expires_at = utcnow() + timedelta(minutes=CODE_MINUTES)
    session.flush()
    send(number, f"Your Ledgerly code is {code}. It expires in {CODE_MINUTES} minutes.")
    return phone


def confirm_code(session: DbSession, user_id: int, code: str) -> SmsPhone:
    phone = get_phone(session, user_id)
    if phone is None or not phone.code_hash or phone.code_expires_at is None:
        raise CodeWrong()
    phone.code_attempts += 1
    if (phone.code_attempts > MAX_CODE_ATTEMPTS or phone.code_expires_at < utcnow()
            or not hmac.compare_digest(phone.code_hash, _hash(code.strip()))):
        session.flush()
        raise CodeWrong()
    phone.verified_at, phone.code_hash, phone.code_expires_at = utcnow(), "", None
    session.flush()
    return phone


def set_allow_figures(session: DbSession, user_id: int, allow: bool) -> None:
    phone = get_phone(session, user_id)
    if phone is not None:
        phone.allow_figures = allow
        session.flush()


def sms_kinds(session: DbSession, user_id: int) -> set[str]:
    return set(session.scalars(select(AlertPreference.kind).where(
        AlertPreference.user_id == user_id, AlertPreference.sms.is_(True))))


def alert_text(send: AlertSend, allow_figures: bool) -> str:
    """The alert as a text: its title always, its details (amounts) only when allowed."""
    text = f"Ledgerly: {send.title}."
    return f"{text} {send.body}" if allow_figures and send.body else text


def text_alert(session: DbSession, send: AlertSend, send_sms: Sender) -> bool:
    """Text one alert if the member chose SMS for its kind and verified a phone; once
    (texted_at marks it)."""
    if send.texted_at is not None or send.kind not in sms_kinds(session, send.user_id):
        return False
    phone = get_phone(session, send.user_id)
    if phone is None or phone.verified_at is None:
        return False
    send_sms(phone.number, alert_text(send, phone.allow_figures))
    send.texted_at = utcnow()
    session.flush()
    return True
