"""Training the base model from labelled rows, with confidence calibrated on unseen merchants."""

from __future__ import annotations

import csv
import hashlib
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from finance_app.ml.conventions import conformed_category
from finance_app.ml.evidence import KINDS, NONE, ambiguous_hint_words, evidence_kinds
from finance_app.ml.features import FEATURES_VERSION, FeatureSpace, direction_of
from finance_app.ml.merchants import merchant_key
from finance_app.ml.model import AUTO_THRESHOLD, BaseModel, ConfidenceMap, LinearScorer, softmax

if TYPE_CHECKING:
    # scipy and scikit-learn are imported by the functions that train: the web app never does.
    from sklearn.svm import LinearSVC

SHIPPED_TRAINING_CSV = Path(__file__).parent / "data" / "train.csv"
# Auto-assigned predictions (confidence >= AUTO_THRESHOLD) should be right this often on
# merchants the model has never seen; the confidence map is shaped to honour it.
AUTO_PRECISION_TARGET = 0.975
# ...and no auto-assigned region may be much worse than that locally: a cumulative target alone
# lets a band of 60 %-likely guesses ride on the near-certain ones above them, and those are the
# first to go wrong on strings unlike the training data.
LOCAL_PRECISION_FLOOR = 0.93
# A kind of evidence gets its own confidence map once this many held-out rows carry it.
KIND_MAP_MIN_ROWS = 200


@dataclass(frozen=True)
class LabelledRow:
    """One labelled transaction: a bank description, its category and optionally its amount."""

    description: str
    category: str
    amount: float | None = None


class TrainingDataError(ValueError):
    """The labelled CSV needs description and category columns."""


def read_labelled_csv(path: str | Path) -> list[LabelledRow]:
    """Read a CSV with columns description,category and an optional signed amount."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or ())
        if not {"description", "category"} <= fields:
            raise TrainingDataError(TrainingDataError.__doc__)
        rows = []
        for record in reader:
            raw_amount = (record.get("amount") or "").strip()
            rows.append(
                LabelledRow(
                    description=record["description"],
                    category=record["category"].strip(),
                    amount=float(raw_amount) if raw_amount else None,
                )
            )
    return rows


def merchant_group(description: str) -> str:
    """Group key for merchant-level splits: the first two words of the merchant key."""
    return " ".join(merchant_key(description).split()[:2]) or description.lower()


def _fit_classifier(x: object, y: np.ndarray, c: float = 0.3) -> LinearSVC:
    # a linear SVM on class-balanced, L2-normalized text features; an unconverged last
    # iteration changes nothing measurable, so its warning is not surfaced
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LinearSVC(C=c, class_weight="balanced").fit(x, y)


def _fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    from scipy.optimize import minimize_scalar

    def nll(t: float) -> float:
        probs = softmax(scores * t)
        return float(-np.mean(np.log(probs[np.arange(len(truth)), truth] + 1e-12)))

    return float(minimize_scalar(nll, bounds=(0.1, 50.0), method="bounded").x)


def fit_confidence_map(
    top_probability: np.ndarray,
    correct: np.ndarray,
    threshold: float = AUTO_THRESHOLD,
    target: float = AUTO_PRECISION_TARGET,
    local_floor: float = LOCAL_PRECISION_FLOOR,
) -> ConfidenceMap:
    """A monotone map whose values >= threshold cover only predictions precise to `target`.

    Below the cut it follows the isotonic (local) precision scaled under the threshold, above
    it rises from the threshold to the local precision, so "confidence >= 0.8" means "a region
    where held-out precision reached the target".
    """
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(top_probability, correct.astype(float))
    order = np.argsort(-top_probability)
    cumulative = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(cumulative >= target)[0]
    # the lowest top-probability whose "everything above me" precision still meets the target
    cut = float(top_probability[order][ok.max()]) if len(ok) else 1.0
    grid = np.linspace(0.0, 1.0, 401)
    local = iso.predict(grid)
    precise = np.nonzero(local >= local_floor)[0]
    cut = max(cut, float(grid[precise.min()]) if len(precise) else 1.0)
    local_cut = float(iso.predict([cut])[0]) if cut < 1.0 else 1.0
    below = np.minimum(local / max(local_cut, 1e-9) * threshold, threshold - 1e-3)
    span = max(1.0 - local_cut, 1e-9)
    above = threshold + (1.0 - threshold) * np.clip((local - local_cut) / span, 0.0, 1.0)
    values = np.where(grid >= cut, above, below)
    values = np.maximum.accumulate(values)
    return ConfidenceMap(grid=grid, values=values)


def conform_rows(rows: Sequence[LabelledRow]) -> list[LabelledRow]:
    """The rows with each label a booking convention defines set to the convention's category."""
    out = []
    for row in rows:
        category = conformed_category(
            row.description, direction_of(row.description, row.amount), row.category
        )
        out.append(row if category == row.category else LabelledRow(
            row.description, category, row.amount))
    return out


def _version_of(rows: Sequence[LabelledRow]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.description}\x1f{row.category}\x1f{row.amount}\n".encode())
    return time.strftime("%Y%m%dT%H%M%S") + "-" + digest.hexdigest()[:8]


def train_base_model(
    rows: Sequence[LabelledRow], *, folds: int = 3, n_features: int = 2**18
) -> BaseModel:
    """Train the global model; confidence is calibrated on merchant-grouped out-of-fold scores."""
    from sklearn.model_selection import GroupKFold

    started = time.perf_counter()
    rows = conform_rows(rows)
    texts = [r.description for r in rows]
    amounts = [r.amount for r in rows]
    labels = sorted({r.category for r in rows})
    index = {label: i for i, label in enumerate(labels)}
    y = np.array([index[r.category] for r in rows])
    groups = [merchant_group(t) for t in texts]

    oof_scores = np.zeros((len(rows), len(labels)))
    n_groups = len(set(groups))
    n_folds = min(folds, n_groups)
    if n_folds >= 2:
        for train_idx, test_idx in GroupKFold(n_folds).split(texts, y, groups):
            space = FeatureSpace(n_features=n_features)
            x_train = space.fit_transform(
                [texts[i] for i in train_idx], [amounts[i] for i in train_idx]
            )
            clf = _fit_classifier(x_train, y[train_idx])
            x_test = space.transform([texts[i] for i in test_idx], [amounts[i] for i in test_idx])
            fold_scores = clf.decision_function(x_test)
            if fold_scores.ndim == 1:
                fold_scores = np.column_stack([-fold_scores, fold_scores])
            full = np.full((len(test_idx), len(labels)), -10.0)
            full[:, clf.classes_] = fold_scores
            oof_scores[test_idx] = full

    space = FeatureSpace(n_features=n_features)
    x_all = space.fit_transform(texts, amounts)
    clf = _fit_classifier(x_all, y)
    coef, intercept = clf.coef_, clf.intercept_
    if len(labels) == 2:  # binary LinearSVC keeps one row; make it two symmetric rows
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    scorer = LinearScorer.from_dense(coef, intercept)

    model = BaseModel(
        labels=labels,
        features=space,
        scorer=scorer,
        temperature=5.0,
        confidence_map=ConfidenceMap.identity(),
        version=_version_of(rows),
        ambiguous_hints=ambiguous_hint_words(texts, [r.category for r in rows]),
    )
    info: dict[str, float | int | str] = {
        "features_version": FEATURES_VERSION,
        "rows": len(rows),
        "merchant_groups": n_groups,
    }
    if n_folds >= 2:
        _calibrate(model, oof_scores, y, texts, amounts, info)
    model.info = {**info, "train_seconds": round(time.perf_counter() - started, 1)}
    return model


def _calibrate(
    model: BaseModel,
    oof_scores: np.ndarray,
    y: np.ndarray,
    texts: Sequence[str],
    amounts: Sequence[float | None],
    info: dict[str, float | int | str],
) -> None:
    """Temperature, the no-evidence offset and the confidence maps (overall and per kind of
    evidence), all from out-of-fold scores on merchants each fold had never seen."""
    model.temperature = _fit_temperature(oof_scores, y)
    kinds = evidence_kinds(texts, amounts, model.ambiguous_hints)
    blank = kinds == KINDS.index(NONE)
    plain = model.adjust_probabilities(softmax(oof_scores * model.temperature), texts, amounts,
                                       kinds)
    oof_probs = plain
    if blank.sum() >= KIND_MAP_MIN_ROWS:
        # kept only if it earns its place: no worse on held-out no-evidence rows than without
        model.no_evidence_offset = oof_scores[blank].mean(axis=0)
        offset = model.adjust_probabilities(softmax(oof_scores * model.temperature), texts,
                                            amounts, kinds)
        hits = (offset[blank].argmax(axis=1) == y[blank]).mean()
        info["oof_accuracy_none_offset"] = round(float(hits), 4)
        if hits >= (plain[blank].argmax(axis=1) == y[blank]).mean():
            oof_probs = offset
        else:
            model.no_evidence_offset = None
    correct = oof_probs.argmax(axis=1) == y
    model.confidence_map = fit_confidence_map(oof_probs.max(axis=1), correct)
    for i, kind in enumerate(KINDS):
        rows = kinds == i
        info[f"oof_rows_{kind}"] = int(rows.sum())
        if rows.sum() >= KIND_MAP_MIN_ROWS and not correct[rows].all():
            model.kind_maps[kind] = fit_confidence_map(oof_probs[rows].max(axis=1), correct[rows])
        if rows.any():
            info[f"oof_accuracy_{kind}"] = round(float(correct[rows].mean()), 4)
    if blank.any():
        info["oof_accuracy_none_plain"] = round(
            float((plain[blank].argmax(axis=1) == y[blank]).mean()), 4)
    info["oof_merchant_accuracy"] = round(float(correct.mean()), 4)


def train_shipped_model(**kwargs: int) -> BaseModel:
    """Train the base model from the training set shipped in finance_app/ml/data."""
    return train_base_model(read_labelled_csv(SHIPPED_TRAINING_CSV), **kwargs)

