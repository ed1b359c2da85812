"""Brand lexicon: well-known merchant chains and services with their usual spending category."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from finance_app.ml.merchants import mask_digits, mask_digits_uncached

# Curated by hand from general knowledge of US, UK and EU chains (see data/README.md), kept in
# data/brands.txt (one name a line under a `[category: Name]` heading). Names are written as a bank
# prints them; matching ignores case, spaces, punctuation and "&"/"and", so "HOMEDEPOT",
# "Home Depot" and "THE HOME DEPOT #123" all match "home depot". The categories follow the
# training data's conventions (fuel/rideshare/parking/tolls -> Transport; airlines, hotels, car
# rental -> Travel; card issuers, lenders, brokers, P2P -> Transfer; sports streaming ->
# Entertainment; warehouse clubs -> Groceries; website builders -> Shopping). Banks and credit
# unions are a kind of their own ("Bank"), not a category: the same bank name is paid for a card
# bill, a loan or a mortgage, and the words around it decide. These are model features, not
# overrides: a brand token is one signal the classifier weighs.
BRANDS_FILE = Path(__file__).resolve().parent / "data" / "brands.txt"


def load_brands(path: Path = BRANDS_FILE) -> dict[str, tuple[str, ...]]:
    """Category -> names, in file order (a name listed twice keeps its first place)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[category:") and line.endswith("]"):
            current = sections.setdefault(line[len("[category:"):-1].strip(), [])
        elif current is None:
            raise ValueError(f"{path.name} line {number}: a name before any [category: ...]")
        else:
            current.append(" ".join(line.split()))
    return {category: tuple(dict.fromkeys(names)) for category, names in sections.items()}


BRANDS: dict[str, tuple[str, ...]] = load_brands()

_APOSTROPHE = re.compile(r"['’`]")
_SEPARATOR = re.compile(r"[^a-z0-9]+")
_MARKER = re.compile(r"\[(?:debit|credit)\]")


def brand_words(text: str) -> list[str]:
    """Lowercase words of a bank string for brand matching: "&" and punctuation split words,
    apostrophes vanish and digit-bearing tokens longer than three characters (store numbers,
    references) are dropped; short ones stay for names such as "7-Eleven" or "24 Hour Fitness"."""
    low = _MARKER.sub(" ", (text or "").lower())
    low = _APOSTROPHE.sub("", low)
    words = _SEPARATOR.split(low)
    # words hold only a-z and 0-9 here, so "no digit" is "all letters"
    return [w for w in words if w and (len(w) <= 3 or w.isalpha())]


def squash(words: list[str] | tuple[str, ...]) -> str:
    """The spacing-free key of words; "and" is dropped so "Bath and Body" = "Bath & Body"."""
    return "".join(w for w in words if w != "and")


def _build() -> tuple[dict[str, str], int, frozenset[str]]:
    lookup: dict[str, str] = {}
    firsts: set[str] = set()
    longest = 1
    for category, names in BRANDS.items():
        for name in names:
            words = brand_words(mask_digits(name))  # bank strings are matched masked too
            key = squash(words)
            # two-letter keys ("bp", "ee") would fire inside too many unrelated strings; "H&M"
            # and "B&Q" are kept because the ampersand makes them distinctive in a bank string
            if len(key) < 3 and not (len(key) == 2 and "&" in name):
                continue
            # the first category listed for a name wins (a name listed twice is a mistake)
            lookup.setdefault(key, category)
            firsts.add(words[0])
            longest = max(longest, len(words))
    return lookup, longest, frozenset(firsts)


# _FIRST_WORDS: the words a listed multi-word name starts with; a longer span is only looked up
# from one of them, which keeps matching cheap (single words are always looked up)
_LOOKUP, _MAX_WORDS, _FIRST_WORDS = _build()


def brand_key_count() -> int:
    """How many distinct brand keys the lexicon matches (for tests and documentation)."""
    return len(_LOOKUP)


def _prefixes(keys: Iterable[str]) -> frozenset[str]:
    """Every non-empty prefix of every key: a span whose key is not one cannot grow into a match."""
    return frozenset(key[:end] for key in keys for end in range(1, len(key) + 1))


_PREFIXES = _prefixes(_LOOKUP)


@lru_cache(maxsize=131072)
def _brand_categories(joined: str) -> tuple[str, ...]:
    words = joined.split()
    n = len(words)
    # Every span that names a brand: single words always, longer spans from a listed first word;
    # a span stops growing once its key is no prefix of any brand key (keys only grow with it).
    spans: list[tuple[int, int, str]] = []
    for i, first in enumerate(words):
        longer = first in _FIRST_WORDS
        key = ""
        for size in range(1, min(_MAX_WORDS + 1, n - i) + 1):
            word = words[i + size - 1]
            if word != "and":
                key += word
            category = _LOOKUP.get(key)
            if category is not None:
                spans.append((-size, i, category))
            if not longer or (key and key not in _PREFIXES):
                break
    # longest span first, so "American Express" is a card issuer and not the "Express" retailer
    taken = [False] * n
    found: list[str] = []
    for negative_size, i, category in sorted(spans):
        size = -negative_size
        if any(taken[i : i + size]):
            continue
        found.append(category)
        for j in range(i, i + size):
            taken[j] = True
    return tuple(dict.fromkeys(found))


def brand_categories(text: str) -> tuple[str, ...]:
    """Categories of the known brands named in a bank string, longest match first."""
    return _brand_categories(" ".join(brand_words(mask_digits(text))))


def brand_tokens(text: str) -> tuple[str, ...]:
    """Feature tokens such as "brand_groceries" for the brands named in a bank string."""
    return _tokens_of(brand_categories(text))


def brand_tokens_of_derived(text: str) -> tuple[str, ...]:
    """brand_tokens() of a string derived from a masked one (not kept in the masking cache)."""
    return _tokens_of(_brand_categories(" ".join(brand_words(mask_digits_uncached(text)))))


def _tokens_of(categories: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("brand_" + c.lower().replace(" ", "_") for c in categories)
