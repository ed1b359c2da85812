"""Merchant normalization: raw bank-statement strings to display names and memory keys."""

from __future__ import annotations

import re
from functools import lru_cache

# Payment processors and wallets: in "SQ *BLUE BOTTLE" the merchant is on the right of the star.
PROCESSORS = frozenset(
    {
        "sq", "tst", "paypal", "pp", "sp", "ssp", "google", "goog", "dd", "ez", "py", "pos",
        "sqc", "squ", "clv", "fs", "ppl", "in", "ic", "bt", "pmt", "wpy", "apl", "ckc",
    }
)  # fmt: skip

# Phrases a bank puts before the merchant (longest first is not needed: applied repeatedly).
_LEADING = [
    r"\[(?:debit|credit)\]",
    r"paypal inst xfer",
    r"orig co name\s*:",
    r"preapproved payment bill user payment\s*:",
    r"preauthorized (?:withdrawal|debit)(?: to)?",
    r"express checkout payment\s*:",
    r"subscription payment\s*:",
    r"payment refund\s*:",
    r"payment to\s*:?",
    r"payment from\s*:?",
    r"purchase authorized on\s+\d{1,2}/\d{1,2}",
    r"(?:recurring )?(?:debit|credit|check) ?card (?:purchase|credit|debit)?(?: return)?",
    r"card purchase(?: with pin| return)?",
    r"dbt crd(?: \d+)?",
    r"checkcard(?: \d{4})?",
    r"pos (?:purch(?:ase)?|signature|debit|withdrawal|transaction|refund)?\s*-?",
    r"(?:ach|electronic|online) (?:debit|credit|payment|pmt|web|deposit|withdrawal)\s*-?",
    r"ach",
    r"withdrawal(?: ach)?",
    r"direct (?:debit|deposit)\s*:?",
    r"purchase(?: return)?",
    r"recurring(?: payment)?",
    r"visa(?: purchase| debit)?",
    r"mc purchase",
    r"debit",
    r"early pay\s*:",
    r"zelle (?:payment|transfer) (?:to|from)",
    r"x{2,}\d*",  # masked card numbers
    r"\d[\d/\-]*(?=\s)",  # reference numbers and dates before the name
]
_LEADING_RE = re.compile(
    r"^\s*(?:" + "|".join(_LEADING) + r")(?:\s+|(?<=[:\-])|(?=[^a-z0-9])|$)", re.I
)

# Anything from one of these on is bank noise, not the merchant.
_TRAILING_CUT = re.compile(
    r"(?:\s*(?:web|ppd|ccd|tel|ach)\s*id\b|\bid\s*:|\bco id\b|\bdes\s*:|\bindn\s*:|\bsec\s*:"
    r"|\bco entry\b|\bentry descr\b|\bref(?:erence)?\s*(?:#|no\b|:)|\btrace\b|\bconf(?:irmation)?#"
    r"|\bcard \d{4}\b|\bx{2,}\d+|\*{2,}\d+|;|\s-\s|\s/\s|\bdate\b|\bauthorized on\b)",
    re.I,
)
# Every alternative of _TRAILING_CUT contains one of these (lowercase): an ASCII string holding
# none of them cannot match, and the regex (tried at every position) is the slowest step here.
_TRAILING_LITERALS = (
    "id", "des", "indn", "sec", "co entry", "ref", "trace", "conf", "card ", "xx", "**", ";",
    "-", "/", "date", "authorized on",
)  # fmt: skip
_URL_TAIL = re.compile(r"(?<=\w)(?:\.com|\.net)(?:/\w+)?\b", re.I)
_DATE = re.compile(r"^\d{1,2}[/\-]\d{1,2}(?:[/\-]\d{2,4})?$")
_WORD = re.compile(r"[a-z]", re.I)
# Compiled once: these run for every distinct bank string of an import.
_DIGIT = re.compile(r"\d")
_NON_LOWER = re.compile(r"[^a-z]")
_VOWEL = re.compile(r"[aeiouy]")
_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
_TITLED_TLD = re.compile(r"\.(Com|Org|Net|Io|Co)\b")
_MARKER = re.compile(r"\[(?:debit|credit)\]", re.I)
_GLUED_DIGITS = re.compile(r"(?<=[a-z])(?=\d{4,})", re.I)
_SEPARATORS = re.compile(r"[,;:|\"]")
_TLD = re.compile(r"\.(?:com|org|net|io|co)\b")
_POSSESSIVE = re.compile(r"'s\b")
_NON_KEY = re.compile(r"[^a-z0-9& ]+")

_STATE_TEXT = (
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm "
    "ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc pr"
)
US_STATES = frozenset(_STATE_TEXT.split())
# Large US cities often printed after the merchant; generic geography, not merchants.
_CITY_TEXT = (
    "new york,los angeles,chicago,houston,phoenix,philadelphia,san antonio,san diego,dallas,"
    "san jose,austin,jacksonville,fort worth,columbus,charlotte,san francisco,sanfrancisco,"
    "indianapolis,seattle,denver,washington,boston,el paso,nashville,detroit,oklahoma city,"
    "portland,las vegas,memphis,louisville,baltimore,milwaukee,albuquerque,tucson,fresno,"
    "sacramento,kansas city,mesa,atlanta,omaha,colorado springs,raleigh,miami,long beach,"
    "virginia beach,oakland,minneapolis,tulsa,tampa,arlington,new orleans,wichita,cleveland,"
    "bakersfield,aurora,anaheim,honolulu,santa ana,riverside,corpus christi,lexington,"
    "pittsburgh,anchorage,stockton,cincinnati,saint paul,st paul,toledo,newark,greensboro,plano,"
    "henderson,lincoln,buffalo,fort wayne,jersey city,chula vista,orlando,st louis,saint louis,"
    "chandler,laredo,norfolk,durham,madison,lubbock,irvine,winston salem,glendale,garland,"
    "hialeah,reno,baton rouge,irving,scottsdale,north las vegas,fremont,gilbert,san bernardino,"
    "boise,birmingham,rochester,richmond,spokane,des moines,montgomery,modesto,fayetteville,"
    "tacoma,shreveport,fontana,oxnard,moreno valley,akron,yonkers,brooklyn,bronx,queens,"
    "manhattan,salt lake city,salt lake cty,pasadena,provo,cambridge,berkeley,santa monica,"
    "palo alto,mountain view,sunnyvale,santa clara,hoboken,evanston,ann arbor"
)
US_CITIES = frozenset(c.strip() for c in _CITY_TEXT.split(","))

_CORPORATE_SUFFIXES = frozenset(
    {"inc", "co", "llc", "ltd", "corp", "corporation", "company", "store", "stores", "usa", "us",
     "the", "of", "and", "online", "pmt", "payment", "purchase", "debit", "credit", "pos"}
)  # fmt: skip
_SMALL_WORDS = frozenset({"of", "and", "the", "at", "on", "in", "for", "de", "del", "la", "by"})

# Very well-known brands whose bank spellings are mangled beyond what the rules can fix.
ALIASES = {
    "amzn": "Amazon",
    "amzn mktp": "Amazon",
    "amzn mktp us": "Amazon",
    "amzn digital": "Amazon",
    "amazon mktpl": "Amazon",
    "amazon mktplace": "Amazon",
    "amazon marketplace": "Amazon",
    "amazon mktp": "Amazon",
    "amazon mktp us": "Amazon",
    "amazon com": "Amazon",
    "amazon.com": "Amazon",
    "amazon": "Amazon",
    "amz": "Amazon",
    "nflx": "Netflix",
    "netflix.com": "Netflix",
    "sbux": "Starbucks",
    "wholefds": "Whole Foods",
    "mcdonalds": "McDonald's",
    "mcdonald's": "McDonald's",
}


def _strip_leading(text: str) -> str:
    for _ in range(8):
        new = _LEADING_RE.sub("", text, count=1)
        if new == text:
            break
        text = new
    return text


def _split_star(text: str) -> str:
    """Resolve "LEFT*RIGHT": processors keep the right side, merchants the left side."""
    if "*" not in text:
        return text
    left, _, right = text.partition("*")
    left, right = left.strip(), right.strip()
    right_first = right.split(" ")[0] if right else ""
    right_is_ref = not right or bool(_DIGIT.search(right_first)) or not _WORD.search(right)
    left_key = _NON_LOWER.sub("", left.lower())
    if left_key in PROCESSORS and not right_is_ref:
        return _split_star(right)
    if not _WORD.search(left):
        return _split_star(right)
    return left if right_is_ref or left else right


def _cut_trailing(text: str) -> str:
    """The text before the first bank-noise marker (_TRAILING_CUT), skipping the regex when an
    ASCII string holds none of the literals every marker needs."""
    if text.isascii():
        low = text.lower()
        if not any(literal in low for literal in _TRAILING_LITERALS):
            return text
    return _TRAILING_CUT.split(text, maxsplit=1)[0]


# Tokens repeat across strings far more than strings do: the per-token steps are cached.
@lru_cache(maxsize=65536)
def _is_noise_token(token: str) -> bool:
    """Store numbers, ids, dates, card digits, phone numbers and similar."""
    bare = token.strip(".,:#-()")
    if not bare:
        return True
    if token.startswith("#") and _DIGIT.search(token):
        return True
    if _DATE.match(bare):
        return True
    digits = sum(ch.isdigit() for ch in bare)
    if digits >= 2 and digits >= len(bare) / 2:
        return True
    if bare.isdigit():
        return True
    if digits and len(bare) >= 6 and bare.isalnum():
        return True  # reference codes such as TFBAGAK5I3
    # mixed letter/digit reference codes such as 2K4L12, T-0223, S018292738292
    return digits >= 3


@lru_cache(maxsize=65536)
def _title(token: str, first: bool) -> str:
    low = token.lower()
    if not first and low in _SMALL_WORDS:
        return low
    if "&" in token and len(token) <= 5:
        return token.upper()
    letters = _NON_LOWER.sub("", low)
    if 2 <= len(letters) <= 3 and not _VOWEL.search(letters):
        return token.upper()
    out = []
    capitalize = True
    for ch in low:
        out.append(ch.upper() if capitalize and ch.isalpha() else ch)
        if ch.isalpha() or ch == "'" or ch.isdigit():
            capitalize = False
        else:
            capitalize = ch in " -/&."
    if len(out) > 2 and out[1] == "'":
        out[2] = out[2].upper()  # O'Reilly
    # keep ".org"/".com"-style tails lowercase
    joined = "".join(out)
    if "." not in joined:
        return joined
    return _TITLED_TLD.sub(lambda m: "." + m.group(1).lower(), joined)


def _drop_trailing_place(words: list[str]) -> list[str]:
    """Drop a trailing US state code and known city names ("... AUSTIN TX")."""
    changed = True
    while changed and len(words) > 1:
        changed = False
        last = words[-1].lower().strip(".,")
        if last in US_STATES and (words[-1].isupper() or len(words) > 2):
            words = words[:-1]
            changed = True
            continue
        if last in ("usa", "us"):
            words = words[:-1]
            changed = True
            continue
        for size in (3, 2, 1):
            if len(words) > size:
                tail = " ".join(w.lower().strip(".,") for w in words[-size:])
                if tail in US_CITIES:
                    words = words[:-size]
                    changed = True
                    break
    return words


_DIGIT_RUN = re.compile(r"\d{3,}")
# A reference number at the very end ("NETFLIX.COM 4839201"): new on every payment, names nothing.
_TRAILING_REFERENCE = re.compile(r"(?:\s+0{5,})+\s*$")


# Sized for the distinct raw strings of one 50,000-row import (~40,000), about 15 MB when full.
@lru_cache(maxsize=65536)
def mask_digits(raw: str) -> str:
    """The string with every digit of a run of three or more digits written as "0", and a
    reference number of five digits or more at its very end dropped.

    Such runs (store numbers, references, dates, card digits) never survive into a merchant
    name or a feature, so masking them first lets caches and de-duplication treat
    "STARBUCKS #1234" and "STARBUCKS #5678" (and "NETFLIX 48392" and "NETFLIX") as one
    string. Other lengths are kept: some rules look at how long a digit run is ("CARD 1234").
    Cached: every step of the engine starts from it.
    """
    return mask_digits_uncached(raw)


def mask_digits_uncached(raw: str) -> str:
    """mask_digits() without its cache, for strings derived once from an already masked one
    (they would only push the import's own strings out of the cache)."""
    return _TRAILING_REFERENCE.sub("", _DIGIT_RUN.sub(_zeros, raw or ""))


def _zeros(match: re.Match[str]) -> str:
    return "0" * (match.end() - match.start())


def normalize_merchant(raw: str) -> str:
    """Turn a bank string such as "SQ *BLUE BOTTLE COFFEE" into "Blue Bottle Coffee"."""
    return _normalize(mask_digits(raw))


@lru_cache(maxsize=131072)
def _normalize(raw: str) -> str:
    text = " ".join((raw or "").split())
    if "[" in text:
        text = _MARKER.sub(" ", text).strip()
    text = _strip_leading(text)
    text = _cut_trailing(text)
    text = _split_star(text)
    text = _strip_leading(text)
    text = _URL_TAIL.sub("", text)
    if _DIGIT.search(text):
        text = _GLUED_DIGITS.sub(" ", text)  # AMERICAN001291 -> split
    text = _SEPARATORS.sub(" ", text)
    words: list[str] = []
    tokens = text.split()
    for i, token in enumerate(tokens):
        next_is_word = i + 1 < len(tokens) and tokens[i + 1].isalpha()
        if token.isdigit() and len(token) == 1 and words and next_is_word:
            words.append(token)  # "Food 4 Less"
            continue
        if _is_noise_token(token):
            if words:
                break
            continue
        token = token.strip("-.#(),")
        if token:
            words.append(token)
    while len(words) > 1 and words[-1].lower().strip(".") in _CORPORATE_SUFFIXES:
        words.pop()
    words = _drop_trailing_place(words)
    while len(words) > 1 and words[-1].lower().strip(".") in _CORPORATE_SUFFIXES:
        words.pop()
    if not words:
        fallback = re.sub(r"[^A-Za-z&' ]", " ", raw or "").split()
        words = fallback[:3]
    if not words:
        return ""
    joined = " ".join(words)
    key = joined.lower()
    for candidate in (key, " ".join(key.split()[:3]), " ".join(key.split()[:2]), key.split()[0]):
        if candidate in ALIASES:
            return ALIASES[candidate]
    mixed = _LOWER.search(joined) and _UPPER.search(joined)
    # mixed case from the bank such as "Trader Joe's" or "iTunes" is kept unless it is shouting
    if mixed and not joined.istitle() and sum(ch.isupper() for ch in joined) < len(joined) / 2:
        return joined[0].upper() + joined[1:]
    return " ".join(_title(w, i == 0) for i, w in enumerate(words))


def merchant_key(raw: str) -> str:
    """Lowercase key of the merchant, stable across store numbers, processors and spellings."""
    return _merchant_key(mask_digits(raw))


@lru_cache(maxsize=131072)
def _merchant_key(masked: str) -> str:
    name = _normalize(masked).lower()
    name = _TLD.sub(" ", name)
    name = _POSSESSIVE.sub("s", name)
    name = _NON_KEY.sub(" ", name)
    return " ".join(name.split())
