"""Feature extraction: bank strings, amounts and provider categories to a sparse matrix."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

from finance_app.ml.brands import BRANDS, brand_tokens_of_derived
from finance_app.ml.conventions import convention_of
from finance_app.ml.lexicon import hint_tokens
from finance_app.ml.merchants import mask_digits, normalize_merchant

if TYPE_CHECKING:
    # scipy and scikit-learn cost about a second to import: loaded when features are first built.
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

# Bump when text cleaning, the lexicon or the brand list changes what a string's features are:
# a base model trained on other features is then rebuilt by the nightly job.
FEATURES_VERSION = 3  # 3: booking-convention tokens

_MARKER = re.compile(r"\[(debit|credit)\]", re.I)
_HAS_DIGIT_TOKEN = re.compile(r"[a-z#*]*\d[a-z0-9#*/\-]*")
# A word glued to a number with one boundary ("98120398RENT", "WEB1897137") keeps its word; ids
# that alternate letters and digits ("2K4L12", "IH2NS48MR") go whole.
_GLUED_WORD = re.compile(r"\b\d+([a-z]{3,})\b|\b([a-z]{3,})\d+\b")
_NON_WORD = re.compile(r"[^a-z&' ]+")
_DIRECTION_SUFFIXES = ("", "_debit", "_credit", "_unknown")


def direction_of(text: str, amount: float | None = None) -> str:
    """"debit" (money out), "credit" (money in) or "unknown"; the amount sign wins over a marker."""
    if amount is not None and not (isinstance(amount, float) and math.isnan(amount)):
        if amount < 0:
            return "debit"
        if amount > 0:
            return "credit"
    match = _MARKER.search(text or "")
    return match.group(1).lower() if match else "unknown"


# Statement-style wrappers that banks put around any merchant; they say nothing of the category
# and would otherwise teach the model that "Subscription Payment: Jiffy Lube" is a subscription.
_STYLE = re.compile(
    r"paypal inst xfer|web id\s*:?\s*paypalsi\w*|pre ?approved payment bill user payment\s*:"
    r"|express checkout payment\s*:|subscription payment\s*:|payment to\s*:|payment refund\s*:"
    r"|preauthorized withdrawal to|purchase\s+authorized\s+on|;\s*(?:purchase|charge|service"
    r"|subscription|payment)\s*$|\b(?:pos|checkcard|check card|debit card|card purchase|purchase)\b"
    r"|\b(?:co entry descr|orig co name|entry descr|sec\s*:\s*ppd|ppd id|web id|indn|co id)\b",
    re.I,
)


# Every alternative of _STYLE contains one of these (lowercase): an ASCII string holding none of
# them cannot match, and the big alternation is the slowest step of cleaning a string.
_STYLE_LITERALS = (
    "paypal", "web id", "payment", "preauthorized", "purchase", ";", "pos", "checkcard",
    "check card", "debit card", "entry descr", "orig co name", "sec", "ppd id", "indn", "co id",
)  # fmt: skip
_DIGIT = re.compile(r"\d")


def clean_text(text: str) -> str:
    """Lowercase words of a bank string without direction markers, ids, numbers or punctuation."""
    return _clean(mask_digits(text))


# "PremierBalletConserv": some processors squeeze the spaces out of a name but keep its capitals
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


@lru_cache(maxsize=131072)
def _clean(text: str) -> str:
    # the same lowercasing and unwrapping as brand_text(), shared through its cache whenever
    # there is no camel case to split (nearly always: bank strings are upper case)
    low = brand_text(_CAMEL.sub(" ", text))
    low = low.replace("'s ", "s ").replace("’", "'").replace("*", " ")
    # the remaining steps never look across whitespace, so they run once per distinct token
    return " ".join([word for word in map(_clean_token, low.split()) if word])


@lru_cache(maxsize=65536)
def _clean_token(token: str) -> str:
    if _DIGIT.search(token):  # both patterns need a digit
        token = _GLUED_WORD.sub(r" \1\2 ", token)
        token = _HAS_DIGIT_TOKEN.sub(" ", token)
    return " ".join(_NON_WORD.sub(" ", token).replace("'", "").split())


def merchant_text(text: str) -> str:
    """Lowercase display merchant name, the part of the string that names who was paid."""
    return normalize_merchant(text).lower()


def amount_bucket(amount: float | None) -> str:
    """A coarse log-scale bucket of the absolute amount ("amt_na" when unknown)."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "amt_na"
    value = abs(float(amount))
    if value == 0:
        return "amt_0"
    return f"amt_{min(8, max(0, int(math.log2(value + 1) // 1.5)))}"


_BUCKETS = np.array([f"amt_{i}" for i in range(9)] + ["amt_0", "amt_na"], dtype=object)


def directions_and_buckets(
    texts: Sequence[str], amounts: Sequence[float | None]
) -> tuple[list[str], list[str]]:
    """[direction_of(t, a)] and [amount_bucket(a)] of many rows at once (same answers): both run
    for every row of an import, and one numpy pass costs a fraction of the per-row calls."""
    values = np.array([np.nan if a is None else a for a in amounts], dtype=np.float64)
    size = np.abs(values)
    with np.errstate(invalid="ignore"):
        index = np.clip(np.floor_divide(np.log2(size + 1), 1.5), 0, 8)
    index = np.where(size == 0, 9, np.where(np.isnan(size), 10, np.nan_to_num(index)))
    buckets = _BUCKETS[index.astype(np.int64)].tolist()
    signs = np.sign(values)
    directions = np.where(signs < 0, "debit", "credit").tolist()
    for i in np.flatnonzero(~(signs != 0) | np.isnan(values)).tolist():  # no sign: the marker
        directions[i] = direction_of(texts[i])
    return directions, buckets


def meta_tokens(text: str, amount: float | None, provider_category: str | None) -> list[str]:
    """Tokens for direction, amount size, provider category, lexicon hints and known brands."""
    return list(
        _meta_of_key(
            mask_digits(text), direction_of(text, amount), amount_bucket(amount), provider_category
        )
    )


@lru_cache(maxsize=131072)
def _lexicon_tokens(masked: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Generic-word hints and known-brand tokens of a digit-masked bank string."""
    return hint_tokens(_clean(masked)), brand_tokens_of_derived(brand_text(masked))


def lexicon_tokens_of(masked: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(hint tokens, brand tokens) of a digit-masked bank string, as the model sees them."""
    return _lexicon_tokens(masked)


def brand_text(text: str) -> str:
    """Lowercase bank string without statement-style wrappers ("Express Checkout Payment:")."""
    return _brand_text(text or "")


@lru_cache(maxsize=131072)
def _brand_text(text: str) -> str:
    low = _MARKER.sub(" ", text.lower())
    if low.isascii() and not any(literal in low for literal in _STYLE_LITERALS):
        return low
    return _STYLE.sub(" ", low)


def _meta_of_key(
    masked: str, direction: str, bucket: str, provider_category: str | None
) -> tuple[str, ...]:
    """meta_tokens of a de-duplicated row: the amount enters through its direction and size."""
    return _meta_cached(masked, direction, bucket, provider_category)


@lru_cache(maxsize=262144)
def _meta_cached(
    masked: str, direction: str, bucket: str, provider_category: str | None
) -> tuple[str, ...]:
    tokens = ["dir_" + direction, bucket]
    if provider_category:
        prov = re.sub(r"[^a-z]+", "_", provider_category.lower()).strip("_")
        tokens.append("prov_" + prov)
        tokens.extend("provw_" + w for w in prov.split("_") if w)
    hints, brands = _lexicon_tokens(masked)
    tokens.extend(hints)
    tokens.extend(f"{h}_{direction}" for h in hints if h.startswith("hint_"))
    if not any(h.startswith("hint_") for h in hints):
        tokens.append("hint_none")
    tokens.extend(brands)
    tokens.extend(f"{b}_{direction}" for b in brands)
    if not brands:
        tokens.append("brand_none")
    convention = convention_of(masked, direction)
    if convention is not None:
        tokens.append("conv_" + convention.name)
    return tuple(tokens)


def hash_by_word(vectorizer: HashingVectorizer, docs: Sequence[str]) -> sp.csr_matrix:
    """vectorizer.transform(docs) for a char_wb vectorizer, hashing each distinct word once.

    char_wb n-grams never cross a word boundary, so a document's counts are the sum of its
    words' counts: a (documents x distinct words) count matrix times the words' hashed rows
    gives exactly the same matrix, and bank strings share most of their words.
    """
    import scipy.sparse as sp

    params = vectorizer.get_params()
    if (
        params["analyzer"] != "char_wb" or params["norm"] is not None or params["binary"]
        or params["preprocessor"] is not None or params["strip_accents"] is not None
        or not params["lowercase"]
    ):
        return vectorizer.transform(docs)
    words: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for doc in docs:
        columns.extend(words.setdefault(w, len(words)) for w in doc.lower().split())
        indptr.append(len(columns))
    if not words:
        return sp.csr_matrix((len(docs), params["n_features"]), dtype=params["dtype"])
    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=params["dtype"]), np.asarray(columns, dtype=np.int64),
         np.asarray(indptr, dtype=np.int64)),
        shape=(len(docs), len(words)),
    )
    out = (counts @ _hash_words(vectorizer, list(words))).tocsr()
    out.sort_indices()
    return out


def _hash_words(vectorizer: HashingVectorizer, words: list[str]) -> sp.csr_matrix:
    """vectorizer.transform(words) for a char_wb vectorizer and single words, faster: the same
    n-grams (scikit-learn's rule: each n while the padded word is longer than n, then the whole
    padded word once) hashed by the same FeatureHasher, fed (n-gram, 1) pairs through zip()
    instead of a generator per feature."""
    from sklearn.feature_extraction import FeatureHasher

    params = vectorizer.get_params()
    low, high = params["ngram_range"]
    hasher = FeatureHasher(
        n_features=params["n_features"], input_type="pair", dtype=params["dtype"],
        alternate_sign=params["alternate_sign"],
    )  # fmt: skip
    return hasher.transform(
        zip(_char_wb_grams(w.lower(), low, high), repeat(1), strict=False) for w in words
    )


def _char_wb_grams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        if size <= n:
            grams.append(padded)
            break
        grams.extend([padded[i : i + n] for i in range(size - n + 1)])
    return grams


def _normalize_lower(masked: str) -> str:
    return normalize_merchant(masked).lower()


def _tokens_identity(tokens: list[str]) -> list[str]:
    return tokens


class FeatureSpace:
    """Hashed TF-IDF char and word n-grams plus weighted meta tokens; fit once on training text."""

    def __init__(
        self,
        n_features: int = 2**19,
        char_weight: float = 1.0,
        word_weight: float = 0.6,
        merchant_weight: float = 0.5,
        meta_weight: float = 0.6,
        brand_weight: float = 0.6,
    ) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

        self.char_weight = char_weight
        self.word_weight = word_weight
        self.merchant_weight = merchant_weight
        self.meta_weight = meta_weight
        self.brand_weight = brand_weight
        common = {"n_features": n_features, "alternate_sign": False, "norm": None}
        self.char = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), **common)
        self.word = HashingVectorizer(
            analyzer="word", ngram_range=(1, 2), token_pattern=r"[a-z&]+", **common
        )
        self.merchant = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)
        self.meta = HashingVectorizer(
            analyzer=_tokens_identity, n_features=2**14, alternate_sign=False, norm=None
        )
        self.char_idf = TfidfTransformer(sublinear_tf=True)
        self.word_idf = TfidfTransformer(sublinear_tf=True)
        self.merchant_idf = TfidfTransformer(sublinear_tf=True)

    def _raw(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None,
        provider_categories: Sequence[str | None] | None,
    ) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix, np.ndarray, sp.csr_matrix, np.ndarray]:
        """Counts per distinct text (char, word, merchant) and per distinct meta key, with the
        row -> distinct-index maps: statements repeat merchants with new reference numbers, so
        each digit-masked string is analysed once."""
        n = len(texts)
        amounts_ = list(amounts) if amounts is not None else [None] * n
        provs = list(provider_categories) if provider_categories is not None else [None] * n
        masked = [mask_digits(t) for t in texts]
        text_ids: dict[str, int] = {}
        text_rows = np.fromiter(
            (text_ids.setdefault(m, len(text_ids)) for m in masked), dtype=np.int64, count=n
        )
        meta_ids: dict[tuple[str, str, str, str | None], int] = {}
        meta_rows = np.empty(n, dtype=np.int64)
        directions, buckets = directions_and_buckets(masked, amounts_)
        for i, key in enumerate(zip(masked, directions, buckets, provs, strict=True)):
            meta_rows[i] = meta_ids.setdefault(key, len(meta_ids))
        meta_x = self.meta.transform([_meta_of_key(*key) for key in meta_ids])
        meta_x.data = np.minimum(meta_x.data, 1.0) * self._meta_scale()[meta_x.indices]
        unique_texts = list(text_ids)
        cleaned = [_clean(m) for m in unique_texts]
        merchants = [_normalize_lower(m) for m in unique_texts]
        return (
            hash_by_word(self.char, cleaned),
            self.word.transform(cleaned),
            hash_by_word(self.merchant, merchants),
            text_rows,
            meta_x,
            meta_rows,
        )

    def _meta_scale(self) -> np.ndarray:
        """Per-column factor of the meta block: brand columns carry brand_weight / meta_weight."""
        scale = getattr(self, "_scale", None)
        if scale is None:
            scale = np.ones(self.meta.n_features, dtype=np.float64)
            names = [c.lower().replace(" ", "_") for c in BRANDS]
            tokens = [f"brand_{n}{suffix}" for n in names for suffix in _DIRECTION_SUFFIXES]
            columns = self.meta.transform([[*tokens, "brand_none"]]).indices
            scale[columns] = getattr(self, "brand_weight", self.meta_weight) / self.meta_weight
            self._scale = scale
        return scale

    def fit_transform(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> sp.csr_matrix:
        """Learn IDF weights from the training texts and return their features."""
        char, word, merchant, text_rows, meta, meta_rows = self._raw(
            texts, amounts, provider_categories
        )
        # document frequencies count every row, repeats included
        self.char_idf.fit(char[text_rows])
        self.word_idf.fit(word[text_rows])
        self.merchant_idf.fit(merchant[text_rows])
        return self._combine(char, word, merchant, text_rows, meta, meta_rows)

    def transform(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> sp.csr_matrix:
        """Features of new transactions."""
        return self._combine(*self._raw(texts, amounts, provider_categories))

    def transform_parts(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> tuple[sp.csr_matrix, np.ndarray, sp.csr_matrix, np.ndarray]:
        """The same features factored: (text block per distinct string, row map, meta block per
        distinct meta key, row map); row i of transform() is [text[t[i]], meta[m[i]]]."""
        char, word, merchant, text_rows, meta, meta_rows = self._raw(
            texts, amounts, provider_categories
        )
        return self._text_block(char, word, merchant), text_rows, self._meta_block(meta), meta_rows

    def _text_block(
        self, char: sp.csr_matrix, word: sp.csr_matrix, merchant: sp.csr_matrix
    ) -> sp.csr_matrix:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        return sp.hstack(
            [
                normalize(self.char_idf.transform(char)) * self.char_weight,
                normalize(self.word_idf.transform(word)) * self.word_weight,
                normalize(self.merchant_idf.transform(merchant)) * self.merchant_weight,
            ],
            format="csr",
            dtype=np.float32,
        )

    def _meta_block(self, meta: sp.csr_matrix) -> sp.csr_matrix:
        return (meta * self.meta_weight).astype(np.float32)

    def _combine(
        self,
        char: sp.csr_matrix,
        word: sp.csr_matrix,
        merchant: sp.csr_matrix,
        text_rows: np.ndarray,
        meta: sp.csr_matrix,
        meta_rows: np.ndarray,
    ) -> sp.csr_matrix:
        import scipy.sparse as sp

        text = self._text_block(char, word, merchant)
        meta = self._meta_block(meta)
        return sp.hstack([text[text_rows], meta[meta_rows]], format="csr", dtype=np.float32)
