"""Booking conventions: kinds of transaction whose category is a definition, not a guess.

Written once here and used in two places: training rows are conformed to them (the shipped data
files P2P money coming in as Income, the convention is Transfer), and at prediction the model's
ranking is moved to the convention's category, with a confidence calibrated on how often rows of
this kind were right on merchants the model had never seen. The categories follow the training
data (see finance_app/ml/data/README.md): loan, BNPL and card payments are Transfer, so a
personal-loan or student-loan servicer is Transfer and only home loans are Mortgage; fuel,
parking, transit and tolls are Transport; refunds and platform payouts are Income; P2P money
(Zelle, Venmo, Cash App) either way is Transfer.

Each convention matches generic words and the names of the *services* that carry such money
(P2P apps, rent portals, toll tags, fare cards), never a particular shop or landlord.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Convention:
    """A named kind of transaction, its category, the direction it applies to and its words."""

    name: str
    category: str
    direction: str  # "debit", "credit" or "any"
    pattern: re.Pattern[str]
    # a kind that also matches these words is something else ("home loan" is a mortgage)
    unless: re.Pattern[str] | None = None

    def matches(self, text: str, direction: str) -> bool:
        if self.direction != "any" and direction != self.direction:
            return False
        if not self.pattern.search(text):
            return False
        return self.unless is None or not self.unless.search(text)


_WORD_OPEN, _WORD_CLOSE = r"(?<![a-z0-9])(?:", r")(?![a-z0-9])"


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(_WORD_OPEN + "|".join(alternatives) + _WORD_CLOSE)


# Order matters: the first convention that matches decides (a Zelle refund is still a transfer).
CONVENTIONS: tuple[Convention, ...] = (
    # Person-to-person money either way is a transfer between people, not income or spending.
    Convention(
        "p2p", "Transfer", "any",
        _words(r"zelle", r"venmo", r"cash ?app", r"square cash", r"sq \*?cash", r"apple cash",
               r"p2p", r"google pay send", r"revolut(?: transfer)?",
               r"wise(?:\.com)? transfer", r"monzo transfer"),
    ),
    # A refund or return from a shop (money back) is booked as income, as the training data does.
    Convention(
        "store_return", "Income", "credit",
        _words(r"refunds?", r"purchase return", r"merchandise return", r"return credit",
               r"check ?card credit", r"debit card credit", r"credit voucher", r"pos return",
               r"card refund"),
        unless=_words(r"returned item", r"tax refund"),
    ),
    # Money paid out by a selling or gig platform ("ETSY ... PAYMENTS" coming in): income.
    Convention(
        "payout", "Income", "credit",
        _words(r"payouts?", r"payments", r"seller payments?", r"host payments?",
               r"earnings payment", r"instant pay(?:out)?", r"stripe transfer",
               r"shopify payments"),
    ),
    # Rent paid through a resident portal: rent, whatever the complex is called.
    Convention(
        "rent_portal", "Rent", "debit",
        _words(r"rentcafe", r"rent cafe", r"yardi", r"ysi", r"appfolio", r"buildium",
               r"bilt ?rent", r"bilt", r"clickpay", r"paylease", r"zego", r"entrata",
               r"rentpayment", r"rent payment", r"residentportal", r"resident portal",
               r"turbotenant", r"avail rent", r"zillow rent", r"cozy rent", r"rentec",
               r"propertyware", r"rent manager"),
    ),
    # Personal, student and car loans are repaid like any other debt: Transfer. Home loans are not.
    Convention(
        "loan_servicer", "Transfer", "debit",
        _words(r"loan (?:payment|pmt|pymt|pymnt)", r"personal loan", r"student loans?",
               r"auto loan", r"car loan", r"loan serv\w*", r"loan servicing", r"nelnet",
               r"navient", r"mohela", r"aidvantage", r"edfinancial", r"great lakes educational",
               r"lendingclub", r"lending club", r"upstart", r"prosper", r"best egg", r"avant",
               r"onemain", r"lendingpoint", r"payoff loan", r"marcus loan"),
        unless=_words(r"mortgage", r"mtg", r"home loans?", r"escrow", r"heloc", r"home equity"),
    ),
    # Paying a credit card bill moves money between one's own accounts: Transfer.
    Convention(
        "card_payment", "Transfer", "any",
        _words(r"credit card (?:payment|pmt|pymt)", r"card payment", r"card pmt", r"crcardpmt",
               r"bankcard", r"payment thank you",
               r"card serv(?:ices)? (?:online )?(?:pmt|payment)"),
    ),
    # Public transport fares and fare cards.
    Convention(
        "transit", "Transport", "debit",
        _words(r"transit", r"metrocard", r"omny", r"clipper", r"ventra", r"smartrip", r"orca",
               r"presto", r"oyster", r"tfl travel", r"tfl gov", r"charliecard", r"mbta", r"septa",
               r"wmata", r"mta", r"bart", r"muni", r"trimet", r"dart", r"metra", r"njt",
               r"nj transit", r"marta", r"fare", r"fares", r"bus pass", r"tap card",
               r"navigo", r"ratp", r"sncb", r"bvg", r"gvb", r"ov chipkaart", r"opal"),
    ),
    # Road tolls and toll tags.
    Convention(
        "toll", "Transport", "debit",
        _words(r"tolls?", r"tollway", r"tollroad", r"turnpike", r"e ?-?zpass", r"ez ?pass",
               r"fastrak", r"sunpass", r"txtag", r"eztag", r"ntta", r"hctra", r"i ?-?pass",
               r"peach pass", r"pikepass", r"express lanes?", r"epass",
               r"pay by plate", r"dart charge", r"toll by mail"),
    ),
)  # fmt: skip
BY_NAME = {c.name: c for c in CONVENTIONS}
# Any convention's words at all: one search that rules out most strings before the loop below.
_ANY = re.compile(
    _WORD_OPEN
    + "|".join(c.pattern.pattern[len(_WORD_OPEN) : -len(_WORD_CLOSE)] for c in CONVENTIONS)
    + _WORD_CLOSE
)
_SPACES = re.compile(r"[^a-z0-9*.]+")


def convention_text(text: str) -> str:
    """Lowercase string with punctuation other than '*' and '.' turned into single spaces."""
    return " ".join(_SPACES.sub(" ", (text or "").lower()).split())


@lru_cache(maxsize=131072)
def _convention_name_of(text: str, direction: str) -> str | None:
    # cached on the raw text: features and evidence both ask for every string of an import
    return _convention_name(convention_text(text), direction)


def _convention_name(masked_lower: str, direction: str) -> str | None:
    if not _ANY.search(masked_lower):
        return None
    for convention in CONVENTIONS:
        if convention.matches(masked_lower, direction):
            return convention.name
    return None


def convention_of(text: str, direction: str) -> Convention | None:
    """The convention a bank string of this direction ("debit"/"credit"/"unknown") falls under."""
    name = _convention_name_of(text or "", direction)
    return BY_NAME[name] if name else None


def conformed_category(text: str, direction: str, category: str) -> str:
    """The category a labelled row should carry: its convention's where one applies."""
    convention = convention_of(text, direction)
    return convention.category if convention is not None else category
