"""Recommendations read from the bills feature's series: a subscription or bill whose price went
up, and two subscriptions doing the same job (two music services, two cloud drives).

A service's family comes from its merchant name: a short, hand-kept list of the streaming,
storage and news brands people subscribe to, matched on whole words, because a statement's
category ("Subscriptions") says nothing about what the service does.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from finance_app.db import DbSession
from finance_app.models.recurring import BILL, PER_YEAR, SUBSCRIPTION, RecurringSeries
from finance_app.money import ZERO, format_money, quantize
from finance_app.services.insights.kinds import Recommendation
from finance_app.services.recurring.series import is_stopped, list_series, yearly_amount
from finance_app.services.scope import Scope

PRICE_RISE_WINDOW_DAYS = 183

# family -> brands (lower case, whole words; "apple music" is music, a bare "apple" is nothing).
SERVICE_FAMILIES: dict[str, tuple[str, ...]] = {
    "music": ("spotify", "apple music", "tidal", "deezer", "youtube music", "amazon music",
              "pandora", "soundcloud", "qobuz", "napster"),
    "video": ("netflix", "hulu", "disney plus", "disney+", "hbo max", "max.com", "paramount plus",
              "paramount+", "peacock", "apple tv", "prime video", "crunchyroll", "espn plus",
              "espn+", "sling tv", "fubo", "youtube tv", "now tv", "canal+"),
    "cloud storage": ("icloud", "google one", "google storage", "dropbox", "onedrive", "box.com",
                      "pcloud", "backblaze"),
    "news": ("new york times", "nytimes", "wall street journal", "wsj", "washington post",
             "the guardian", "the economist", "financial times"),
}
FAMILY_LABELS = {"music": "music services", "video": "video streaming services",
                 "cloud storage": "cloud storage plans", "news": "news subscriptions"}
_FAMILY_PATTERNS = {family: re.compile(
    r"(?<![\w+])(" + "|".join(re.escape(b) for b in sorted(brands, key=len, reverse=True))
    + r")(?![\w+])") for family, brands in SERVICE_FAMILIES.items()}


def service_family(merchant: str) -> str | None:
    """The family a subscription's merchant belongs to, or None when it is not a known one."""
    name = merchant.lower()
    for family, pattern in _FAMILY_PATTERNS.items():
        if pattern.search(name):
            return family
    return None


def _active(series: list[RecurringSeries], today: date) -> list[RecurringSeries]:
    return [s for s in series if s.kind in (SUBSCRIPTION, BILL) and s.expected_amount < 0
            and not is_stopped(s, today)]


def price_rises(series: list[RecurringSeries], today: date) -> list[Recommendation]:
    found = []
    since = today - timedelta(days=PRICE_RISE_WINDOW_DAYS)
    for s in _active(series, today):
        if s.previous_amount is None or s.amount_changed_on is None \
                or s.amount_changed_on < since:
            continue
        before, now = abs(s.previous_amount), abs(s.expected_amount)
        if now <= before:
            continue
        per_year = quantize((now - before) * PER_YEAR[s.interval])
        found.append(Recommendation(
            f"subscription_up:{s.id}:{s.amount_changed_on:%Y-%m-%d}", "subscription_up",
            f"{s.merchant} went up",
            f"From {format_money(before, s.currency)} to {format_money(now, s.currency)} on "
            f"{s.amount_changed_on:%d %B %Y}: {format_money(per_year, s.currency)} more a year. "
            "Worth checking for a cheaper plan.",
            per_year, int(per_year / 12), {"q": s.merchant, "from": s.amount_changed_on.isoformat(),
                                            "to": today.isoformat()}))
    return found


def overlaps(series: list[RecurringSeries], today: date) -> list[Recommendation]:
    """Two or more live subscriptions of one family in one currency: keeping only the dearest
    saves what the others cost a year."""
    groups: dict[tuple[str, str], list[RecurringSeries]] = {}
    for s in _active(series, today):
        family = service_family(s.merchant)
        if family is not None:
            groups.setdefault((family, s.currency), []).append(s)
    found = []
    for (family, currency), members in sorted(groups.items()):
        names = {s.merchant.lower() for s in members}
        if len(names) < 2:
            continue
        members.sort(key=lambda s: (-yearly_amount(s), s.merchant.lower(), s.id))
        others = members[1:]
        saving = sum((yearly_amount(s) for s in others), start=ZERO)
        listed = ", ".join(f"{s.merchant} {format_money(yearly_amount(s), currency)} a year"
                           for s in members)
        found.append(Recommendation(
            f"subscription_overlap:{family}:" + "-".join(str(s.id) for s in
                                                         sorted(members, key=lambda s: s.id)),
            "subscription_overlap",
            f"{len(members)} {FAMILY_LABELS[family]}: "
            + " and ".join(s.merchant for s in members),
            f"{listed}. Keeping one saves up to {format_money(saving, currency)} a year.",
            saving, int(saving / 12), {"q": members[0].merchant}))
    return found


def series_recommendations(session: DbSession, scope: Scope, today: date
                           ) -> list[Recommendation]:
    series = list_series(session, scope)
    return price_rises(series, today) + overlaps(series, today)
