"""The base categorizer: a linear model over transaction features with conservative confidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from finance_app.ml.conventions import convention_of
from finance_app.ml.evidence import (
    AMBIGUOUS_HINT,
    CONVENTION,
    KINDS,
    LEXICON_AMBIGUOUS,
    NONE,
    evidence_kinds,
)
from finance_app.ml.features import FEATURES_VERSION, FeatureSpace, direction_of
from finance_app.ml.merchants import mask_digits

if TYPE_CHECKING:
    import scipy.sparse as sp  # imported where used: scipy is slow to import

CATEGORIES: tuple[str, ...] = (
    "Groceries", "Restaurants", "Transport", "Utilities", "Rent", "Mortgage", "Shopping",
    "Entertainment", "Health", "Income", "Transfer", "Fees", "Insurance", "Travel", "Education",
    "Personal Care", "Subscriptions",
)  # fmt: skip
AUTO_THRESHOLD = 0.8
TOP_K = 3
# Money coming in from a merchant (a refund, a host payout) is booked by some households as
# income and by others against the original spending: the base model never auto-assigns it to
# a spending category, it asks once, and the user's answer becomes their merchant memory.
MONEY_IN_CATEGORIES = frozenset({"Income", "Transfer"})
REFUND_CONFIDENCE_CAP = 0.75
# A string whose only category words each mean different things in different names ("bar") is
# asked about, however sure the model sounds: it is how small local businesses went wrong at 0.93.
AMBIGUOUS_HINT_CAP = AUTO_THRESHOLD - 0.05
# A convention is a definition: its category is moved to the top of the ranking with this much
# probability added before renormalising; how sure that is comes from the convention kind's map.
CONVENTION_BOOST = 1.0


@dataclass(frozen=True)
class Prediction:
    """The best category, its confidence in [0, 1] and the top-3 (category, probability) list."""

    category: str
    confidence: float
    top: list[tuple[str, float]]
    source: str = "base"  # "base", "user" (user classifier) or "memory" (user's past choice)

    def is_auto(self, threshold: float = AUTO_THRESHOLD) -> bool:
        """Whether the prediction is confident enough to be assigned without review."""
        return self.confidence >= threshold


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a score matrix."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Scores:
    """Predictions in bulk: probabilities (one row per input, columns in `labels` order), the
    calibrated confidence of each row's top class and, for user models, which part decided."""

    labels: list[str]
    probabilities: np.ndarray
    confidences: np.ndarray
    sources: list[str] | None = None

    def predictions(self) -> list[Prediction]:
        """One Prediction object per row (top-3 and confidence)."""
        return predictions_from(self.labels, self.probabilities, self.confidences, self.sources)


@dataclass
class LinearScorer:
    """Sparse linear scores: only the weights of features seen in training are kept."""

    weights: sp.csr_matrix  # (n_labels, n_features), float32
    bias: np.ndarray

    @classmethod
    def from_dense(cls, coef: np.ndarray, intercept: np.ndarray) -> LinearScorer:
        """Drop exact zeros (hashed columns never seen) to keep the model file small."""
        import scipy.sparse as sp

        weights = sp.csr_matrix(coef.astype(np.float32))
        weights.eliminate_zeros()
        return cls(weights=weights, bias=np.asarray(intercept, dtype=np.float32))

    def scores(self, x: sp.csr_matrix) -> np.ndarray:
        """Decision scores, one column per label."""
        return np.asarray((x @ self.weights.T).todense()) + self.bias

    def scores_of_parts(
        self, text: sp.csr_matrix, text_rows: np.ndarray, meta: sp.csr_matrix, meta_rows: np.ndarray
    ) -> np.ndarray:
        """scores() of the matrix [text[text_rows], meta[meta_rows]] without building it: each
        distinct string and each distinct meta key is scored once."""
        width = text.shape[1]
        text_scores = (text @ self.weights[:, :width].T).toarray()
        meta_scores = (meta @ self.weights[:, width:].T).toarray()
        return text_scores[text_rows] + meta_scores[meta_rows] + self.bias


@dataclass
class ConfidenceMap:
    """Monotone map from top probability to confidence, fitted on held-out merchants."""

    grid: np.ndarray
    values: np.ndarray

    def __call__(self, top_probability: np.ndarray) -> np.ndarray:
        return np.interp(top_probability, self.grid, self.values)

    @classmethod
    def identity(cls) -> ConfidenceMap:
        """No calibration: confidence equals the top probability."""
        return cls(grid=np.array([0.0, 1.0]), values=np.array([0.0, 1.0]))


@dataclass
class BaseModel:
    """The global categorizer every user starts from."""

    labels: list[str]
    features: FeatureSpace
    scorer: LinearScorer
    temperature: float
    confidence_map: ConfidenceMap
    version: str = "unversioned"
    info: dict[str, float | int | str] = field(default_factory=dict)
    # Hint words whose senses disagree across the training merchants (see ml/evidence.py).
    ambiguous_hints: frozenset[str] = LEXICON_AMBIGUOUS
    # One confidence map per kind of evidence, fitted on held-out merchants of that kind; kinds
    # with too few held-out rows use `confidence_map`.
    kind_maps: dict[str, ConfidenceMap] = field(default_factory=dict)
    # Rows with no evidence fall to whatever class the bias and the "no hint" tokens favour; this
    # per-class offset (their mean held-out score) is taken off them so their ranking says what
    # is particular to the string instead of one default class. Training keeps it only when it is
    # no worse on held-out no-evidence rows than the plain ranking (None otherwise).
    no_evidence_offset: np.ndarray | None = None

    @property
    def features_outdated(self) -> bool:
        """Trained on other text features than this code computes (an older release)."""
        return self.info.get("features_version", 1) != FEATURES_VERSION

    def features_of(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> sp.csr_matrix:
        """The feature matrix the model (and user models on top of it) sees."""
        return self.features.transform(texts, amounts, provider_categories)

    def probabilities_from_features(self, x: sp.csr_matrix) -> np.ndarray:
        """Class probabilities (columns in `labels` order) of a feature matrix."""
        return softmax(self.scorer.scores(x) * self.temperature)

    def predict_proba(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
        kinds: np.ndarray | None = None,
    ) -> np.ndarray:
        """Class probabilities, one row per transaction, columns in `labels` order (`kinds`:
        the rows' evidence_kinds(), when the caller has them already)."""
        parts = self.features.transform_parts(texts, amounts, provider_categories)
        probabilities = softmax(self.scorer.scores_of_parts(*parts) * self.temperature)
        return self.adjust_probabilities(probabilities, texts, amounts, kinds)

    def evidence_kinds(
        self, texts: Sequence[str], amounts: Sequence[float | None] | None = None
    ) -> np.ndarray:
        """Index into evidence.KINDS of each row's strongest kind of evidence."""
        return evidence_kinds(texts, amounts, getattr(self, "ambiguous_hints", LEXICON_AMBIGUOUS))

    def adjust_probabilities(
        self,
        probabilities: np.ndarray,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        kinds: np.ndarray | None = None,
    ) -> np.ndarray:
        """The raw probabilities with conventions applied and no-evidence rows de-defaulted."""
        if not len(texts):
            return probabilities
        kinds = self.evidence_kinds(texts, amounts) if kinds is None else kinds
        out = probabilities.copy()
        offset = getattr(self, "no_evidence_offset", None)
        blank = kinds == KINDS.index(NONE)
        if offset is not None and blank.any():
            weights = np.exp(-(offset - offset.max()) * self.temperature)
            out[blank] *= weights
            out[blank] /= out[blank].sum(axis=1, keepdims=True)
        ruled = np.flatnonzero(kinds == KINDS.index(CONVENTION))
        if len(ruled):
            column = {label: j for j, label in enumerate(self.labels)}
            amounts_ = list(amounts) if amounts is not None else [None] * len(texts)
            for i in ruled.tolist():
                text = mask_digits(texts[i])
                convention = convention_of(text, direction_of(text, amounts_[i]))
                j = column.get(convention.category) if convention is not None else None
                if j is not None:
                    out[i, j] += CONVENTION_BOOST
                    out[i] /= out[i].sum()
        return out

    def confidences(
        self,
        probabilities: np.ndarray,
        texts: Sequence[str] | None = None,
        amounts: Sequence[float | None] | None = None,
        kinds: np.ndarray | None = None,
    ) -> np.ndarray:
        """Calibrated confidence of the top class of each row; with the rows' texts (and
        amounts), each kind of evidence has its own map, strings whose only category words are
        ambiguous stay under the auto threshold and money coming in that the model files under
        spending stays under the refund cap."""
        top = probabilities.max(axis=1)
        confidences = np.clip(self.confidence_map(top), 0.0, 1.0)
        if texts is not None:
            kinds = self.evidence_kinds(texts, amounts) if kinds is None else kinds
            for kind, confidence_map in getattr(self, "kind_maps", {}).items():
                rows = kinds == KINDS.index(kind)
                if rows.any():
                    confidences[rows] = np.clip(confidence_map(top[rows]), 0.0, 1.0)
            unsure = kinds == KINDS.index(AMBIGUOUS_HINT)
            confidences[unsure] = np.minimum(confidences[unsure], AMBIGUOUS_HINT_CAP)
            spending = np.array([label not in MONEY_IN_CATEGORIES for label in self.labels])
            amounts_ = list(amounts) if amounts is not None else [None] * len(texts)
            incoming = np.fromiter(
                (direction_of(t, a) == "credit" for t, a in zip(texts, amounts_, strict=True)),
                dtype=bool, count=len(texts),
            )  # fmt: skip
            capped = incoming & spending[probabilities.argmax(axis=1)]
            confidences[capped] = np.minimum(confidences[capped], REFUND_CONFIDENCE_CAP)
        return confidences

    def predict_scores(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> Scores:
        """predict() as arrays, for bulk callers that need no object per row."""
        kinds = self.evidence_kinds(texts, amounts)  # once for both steps
        probabilities = self.predict_proba(texts, amounts, provider_categories, kinds)
        confidences = self.confidences(probabilities, texts, amounts, kinds)
        return Scores(list(self.labels), probabilities, confidences)

    def predict(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> list[Prediction]:
        """Predictions with top-3 probabilities and a calibrated confidence."""
        if not texts:
            return []
        return self.predict_scores(texts, amounts, provider_categories).predictions()


def predictions_from(
    labels: Sequence[str],
    probabilities: np.ndarray,
    confidences: np.ndarray,
    sources: Sequence[str] | None = None,
) -> list[Prediction]:
    """Build Prediction objects from a probability matrix and per-row confidences."""
    k = min(TOP_K, probabilities.shape[1])
    order = np.argsort(-probabilities, axis=1)[:, :k]
    # rounding and label lookup in bulk: this runs for every transaction of an import
    top_probs = np.round(np.take_along_axis(probabilities, order, axis=1), 4).tolist()
    rounded = np.round(confidences, 4).tolist()
    names = np.asarray(labels, dtype=object)[order].tolist()
    if sources is None:
        sources = ["base"] * len(names)
    return [
        Prediction(
            category=row_names[0],
            confidence=float(confidence),
            top=list(zip(row_names, row_probs, strict=True)),  # tolist() gave Python floats
            source=source,
        )
        for row_names, row_probs, confidence, source in zip(
            names, top_probs, rounded, sources, strict=True
        )
    ]
