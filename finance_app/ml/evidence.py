"""Kinds of evidence a bank string carries, so that confidence is calibrated per kind.

A string named by a booking convention, by a known brand, by a category word, by a category
word that means different things in different names, or by nothing the model can generalise
from: each kind is right at its own rate on merchants the model has never seen, so each gets its
own confidence map, and the weakest kinds never auto-assign.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from finance_app.ml.conventions import convention_of
from finance_app.ml.features import directions_and_buckets, lexicon_tokens_of
from finance_app.ml.lexicon import HINTS
from finance_app.ml.merchants import mask_digits, merchant_key

CONVENTION, BRAND, HINT, AMBIGUOUS_HINT, NONE = (
    "convention", "brand", "hint", "ambiguous_hint", "none",
)  # fmt: skip
KINDS: tuple[str, ...] = (CONVENTION, BRAND, HINT, AMBIGUOUS_HINT, NONE)
# A hint word is ambiguous when, over the distinct training merchants whose strings carry it, no
# category has this share ("bar" is a pub in one name and a brow or nail bar in another).
AMBIGUOUS_BELOW = 0.75
# ...counted only for words seen with this many merchants: rarer ones have no measured senses.
AMBIGUITY_MIN_MERCHANTS = 4
# Brand tokens that are not a category: the words around a bank's name decide what was paid.
_NOT_A_CATEGORY_BRANDS = frozenset({"brand_bank"})



def _lexicon_ambiguous() -> frozenset[str]:
    """Hint words the hand lexicon itself gives two senses: a phrase listed under two
    categories, or a word of one category that ends a phrase of another ("bar" is a restaurant
    word, "nail bar" a personal-care one; "store" is shopping, "food store" groceries)."""
    listed: dict[str, set[str]] = {}
    for category, phrases in HINTS.items():
        for phrase in phrases:
            listed.setdefault(phrase, set()).add(category)
    found = {phrase for phrase, cats in listed.items() if len(cats) > 1}
    for phrase, cats in listed.items():
        head = phrase.split()[-1]
        if " " in phrase and head in listed and not cats <= listed[head]:
            found.add(head)
    return frozenset("kw_" + phrase.replace(" ", "_") for phrase in found)


LEXICON_AMBIGUOUS = _lexicon_ambiguous()


def hint_words(masked: str) -> tuple[str, ...]:
    """The lexicon words ("kw_bar") of a digit-masked string, stumps of cut-off words excluded."""
    hints, _ = lexicon_tokens_of(masked)
    return tuple(t for t in hints if t.startswith("kw_") and t != "kw_stump")


def category_brands(masked: str) -> tuple[str, ...]:
    """Brand tokens of the string that name a category ("brand_groceries", not "brand_bank")."""
    _, brands = lexicon_tokens_of(masked)
    return tuple(b for b in brands if b not in _NOT_A_CATEGORY_BRANDS)


def ambiguous_hint_words(texts: Sequence[str], categories: Sequence[str]) -> frozenset[str]:
    """Hint words whose senses disagree across the labelled rows (counted per merchant)."""
    seen: dict[str, dict[str, str]] = {}  # word -> merchant key -> its (first) category
    for text, category in zip(texts, categories, strict=True):
        words = hint_words(mask_digits(text))
        if not words:
            continue
        key = merchant_key(text)
        for word in words:
            seen.setdefault(word, {}).setdefault(key, category)
    found = set(LEXICON_AMBIGUOUS)
    for word, by_merchant in seen.items():
        if len(by_merchant) < AMBIGUITY_MIN_MERCHANTS:
            continue
        top = Counter(by_merchant.values()).most_common(1)[0][1]
        if top / len(by_merchant) < AMBIGUOUS_BELOW:
            found.add(word)
    return frozenset(found)


@lru_cache(maxsize=262144)
def _kind(masked: str, direction: str, ambiguous: frozenset[str]) -> str:
    if convention_of(masked, direction) is not None:
        return CONVENTION
    if category_brands(masked):
        return BRAND
    words = hint_words(masked)
    if not words:
        return NONE
    if all(word in ambiguous for word in words):
        return AMBIGUOUS_HINT
    return HINT


def evidence_kind(text: str, direction: str, ambiguous: Iterable[str] = LEXICON_AMBIGUOUS) -> str:
    """The strongest kind of evidence in one bank string of this direction."""
    return _kind(mask_digits(text), direction, frozenset(ambiguous))


def evidence_kinds(
    texts: Sequence[str],
    amounts: Sequence[float | None] | None,
    ambiguous: frozenset[str] = LEXICON_AMBIGUOUS,
) -> np.ndarray:
    """evidence_kind() of many rows as an array of indices into KINDS."""
    amounts_ = list(amounts) if amounts is not None else [None] * len(texts)
    masked = [mask_digits(t) for t in texts]
    directions, _ = directions_and_buckets(masked, amounts_)
    index = {kind: i for i, kind in enumerate(KINDS)}
    return np.fromiter(
        (index[_kind(m, d, ambiguous)] for m, d in zip(masked, directions, strict=True)),
        dtype=np.int64, count=len(texts),
    )  # fmt: skip
