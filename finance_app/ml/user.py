"""Per-user categorizer: the user's own labels and merchant memory layered over the base model."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from finance_app.ml.features import amount_bucket, clean_text, direction_of
from finance_app.ml.merchants import merchant_key
from finance_app.ml.model import BaseModel, LinearScorer, Prediction, Scores, softmax

if TYPE_CHECKING:
    import scipy.sparse as sp  # scipy and scikit-learn are imported where a model is trained

# How strongly base probabilities enter the user classifier as features: they let it learn
# category-level renames ("Restaurants" -> "Dining") from a few examples.
BASE_PROBABILITY_WEIGHT = 1.5
# Examples of a kind (same base category) needed before the user classifier gets half the say.
COVERAGE_HALF = 3.0
# Past choices for the same merchant needed before memory gets half the say (1 example -> 0.8).
MEMORY_HALF = 0.25
USER_TEMPERATURE = 4.0

Example = tuple[str, float | None, str]  # (description, amount, category)


class UserModelError(ValueError):
    """A user model needs at least one labelled example."""


@dataclass
class UserModel:
    """A user's classifier over base features + base probabilities, plus merchant memory."""

    base_version: str
    labels: list[str]
    scorer: LinearScorer | None  # None when the user has used a single category so far
    memory: dict[str, dict[str, float]]
    coverage: dict[str, float]
    examples: int
    version: str = "unversioned"
    base: BaseModel | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["base"] = None  # the base model is stored once, not inside every user's file
        return state

    def attach(self, base: BaseModel) -> UserModel:
        """Use this base model for predictions (after loading from storage)."""
        self.base = base
        return self

    def predict(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> list[Prediction]:
        """Predictions in the user's own categories; user choices win where the user has spoken."""
        if self.base is None:
            raise UserModelError("attach a base model before predicting")
        if not texts:
            return []
        return self.predict_scores(texts, amounts, provider_categories).predictions()

    def predict_scores(
        self,
        texts: Sequence[str],
        amounts: Sequence[float | None] | None = None,
        provider_categories: Sequence[str | None] | None = None,
    ) -> Scores:
        """predict() as arrays, for bulk callers that need no object per row."""
        if self.base is None:
            raise UserModelError("attach a base model before predicting")
        base = self.base
        x = base.features_of(texts, amounts, provider_categories)
        kinds = base.evidence_kinds(texts, amounts)  # once for both steps
        base_probs = base.adjust_probabilities(base.probabilities_from_features(x), texts, amounts,
                                               kinds)
        base_conf = base.confidences(base_probs, texts, amounts, kinds)
        union = list(dict.fromkeys([*self.labels, *base.labels]))
        col = {label: i for i, label in enumerate(union)}
        n = len(texts)

        base_part = np.zeros((n, len(union)))
        base_part[:, [col[label] for label in base.labels]] = base_probs
        # express the base's belief in its calibrated confidence rather than its raw probability
        top = base_probs.argmax(axis=1)
        scale = base_conf / np.maximum(base_probs[np.arange(n), top], 1e-9)
        base_part *= np.minimum(scale, 1.0)[:, None]

        user_part = np.zeros((n, len(union)))
        user_cols = [col[label] for label in self.labels]
        if self.scorer is None:
            user_part[:, user_cols[0]] = 1.0
        else:
            scores = self.scorer.scores(_user_features(x, base_probs))
            user_part[:, user_cols] = softmax(scores * USER_TEMPERATURE)
        base_top = [base.labels[j] for j in top]
        spoken = np.array([self.coverage.get(label, 0.0) for label in base_top])
        w = (spoken / (spoken + COVERAGE_HALF))[:, None]
        blended = w * user_part + (1 - w) * base_part

        sources = ["user" if wi >= 0.5 else "base" for wi in w[:, 0]]
        for i, text in enumerate(texts):
            remembered = self.memory.get(merchant_key(text))
            if not remembered:
                continue
            total = sum(remembered.values())
            beta = total / (total + MEMORY_HALF)
            memory_part = np.zeros(len(union))
            for label, count in remembered.items():
                memory_part[col[label]] = count / total
            blended[i] = beta * memory_part + (1 - beta) * blended[i]
            sources[i] = "memory"
        confidences = blended.max(axis=1)
        sums = blended.sum(axis=1, keepdims=True)
        probabilities = blended / np.maximum(sums, 1e-12)
        return Scores(union, probabilities, confidences, sources)


def _user_features(x: sp.csr_matrix, base_probs: np.ndarray) -> sp.csr_matrix:
    import scipy.sparse as sp

    return sp.hstack(
        [x, sp.csr_matrix(base_probs.astype(np.float32) * BASE_PROBABILITY_WEIGHT)],
        format="csr",
    )


def train_user_model(base: BaseModel, examples: Sequence[Example]) -> UserModel:
    """Learn a user's labels from (description, amount, category) examples, oldest first."""
    if not examples:
        raise UserModelError(UserModelError.__doc__)
    labels = sorted({category for _, _, category in examples})

    # Merchant memory: later choices weigh more, so a user who changes their mind is followed.
    memory: dict[str, dict[str, float]] = {}
    for position, (description, _, category) in enumerate(examples):
        weight = 1.0 + 2.0 * position / max(len(examples) - 1, 1)
        slot = memory.setdefault(merchant_key(description), {})
        slot[category] = slot.get(category, 0.0) + weight
    for key, counts in memory.items():
        total = sum(counts.values())
        memory[key] = {label: round(c / total * min(total, 10.0), 3) for label, c in counts.items()}

    # Repeated transactions add nothing to the classifier: train on distinct (text, label) pairs.
    distinct: dict[tuple[str, str, str, str], tuple[str, float | None, str]] = {}
    for description, amount, category in examples:
        pair = (clean_text(description), direction_of(description, amount),
                amount_bucket(amount), category)
        distinct[pair] = (description, amount, category)
    rows = list(distinct.values())
    texts = [r[0] for r in rows]
    amounts = [r[1] for r in rows]
    x = base.features_of(texts, amounts)
    base_probs = base.adjust_probabilities(base.probabilities_from_features(x), texts, amounts)
    base_top = [base.labels[j] for j in base_probs.argmax(axis=1)]
    coverage: dict[str, float] = {}
    for label in base_top:
        coverage[label] = coverage.get(label, 0.0) + 1.0

    scorer = None
    if len(labels) > 1:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import SGDClassifier

        y = np.array([labels.index(r[2]) for r in rows])
        # one-vs-rest classes are fitted on threads (seeds are drawn up front: same model)
        clf = SGDClassifier(
            loss="log_loss", alpha=1e-5, max_iter=25, tol=None, random_state=0,
            class_weight="balanced", n_jobs=min(4, os.cpu_count() or 1),
        )  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(_user_features(x, base_probs), y)
        coef, intercept = clf.coef_, clf.intercept_
        if len(labels) == 2:
            coef = np.vstack([-coef[0], coef[0]]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
        full_coef = np.zeros((len(labels), coef.shape[1]))
        full_intercept = np.full(len(labels), -10.0)
        full_coef[clf.classes_] = coef
        full_intercept[clf.classes_] = intercept
        scorer = LinearScorer.from_dense(full_coef, full_intercept)
    return UserModel(
        base_version=base.version,
        labels=labels,
        scorer=scorer,
        memory=memory,
        coverage=coverage,
        examples=len(examples),
        base=base,
    )
