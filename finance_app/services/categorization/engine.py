"""The single entry point every source calls to categorize new or changed transactions.

Manual entry, file import, Plaid sync and rule re-runs all call `categorize()`; the engine decides
per transaction (rules, then the user's own history, then the model) and records which step
decided and how sure it was. Fields the user set by hand are never overwritten.

The engine works on plain values read once per transaction (`_Row`), computes everything text-based
once per distinct bank string, and writes its decisions with one bulk UPDATE per set of changed
columns below the ORM, so 50,000 rows cost no attribute events, no unit of work and no identity-map
churn. `categorize_ids()` does the same from ids alone, without ORM objects at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import select

from finance_app.db import DbSession
from finance_app.ml import merchant_key, normalize_merchant
from finance_app.ml.features import clean_text, directions_and_buckets, merchant_text
from finance_app.ml.model import TOP_K
from finance_app.models.categorization import Rule
from finance_app.models.ledger import SplitLine, Tag, Transaction
from finance_app.services.categorization.labels import load_memory, record_labels
from finance_app.services.categorization.learning import Predictor, label_names, load_predictor
from finance_app.services.categorization.matching import (
    CompiledRule,
    TxnView,
    compile_rule,
    run_rules,
)
from finance_app.services.categorization.settings import EngineSettings, current_settings
from finance_app.services.categorization.writing import (
    RowWriter,
    replace_suggestions,
    sync_objects,
)
from finance_app.services.ledger.version import bump_ledger_version
from finance_app.services.scope import Scope, scoped

CHUNK = 5000
# Rows the model decides at a time; on PostgreSQL the server writes one chunk meanwhile.
MODEL_CHUNK = 10000
RULE, HISTORY, MODEL, USER = "rule", "history", "model", "user"
# What the engine reads of a transaction, in _Row's order.
FIELDS = (
    "id", "raw_description", "merchant", "amount", "account_id", "provider_category",
    "category_id", "category_source", "category_confidence", "locked_fields", "date",
)  # fmt: skip
CATEGORY_FIELDS = ("category_id", "category_source", "category_confidence")


@dataclass
class CategorizeSummary:
    """How many transactions each step decided, and how many went to review."""

    decided: dict[str, int] = field(default_factory=dict)
    review: int = 0
    user_set: int = 0
    labels_changed: int = 0

    def count(self, step: str, n: int = 1) -> None:
        if n:
            self.decided[step] = self.decided.get(step, 0) + n


@dataclass(slots=True)
class _Row:
    """One transaction as plain values; `changes` collects what the engine decided for it."""

    id: int
    raw_description: str
    merchant: str
    amount: Decimal
    account_id: int
    provider_category: str
    category_id: int | None
    category_source: str | None
    category_confidence: float | None
    locked_fields: list
    date: date
    txn: Transaction | None = None
    changes: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """The bank's own words when there are any; the merchant typed by hand otherwise."""
        return self.raw_description or self.merchant or ""

    def is_locked(self, name: str) -> bool:
        return name in (self.locked_fields or ())

    @property
    def user_set(self) -> bool:
        return self.is_locked("category") or self.category_source == USER

    def stage(self, **fields: Any) -> None:
        if self.changes is None:
            self.changes = fields
        else:
            self.changes.update(fields)


def categorize(
    session: DbSession,
    scope: Scope,
    transactions: Sequence[Transaction],
    *,
    settings: EngineSettings | None = None,
) -> CategorizeSummary:
    """Categorize `transactions` of `scope` in place: rules, history, then the model.

    Transactions must be in the session. A category the user set is never changed; it is
    recorded as a label instead. Below the confidence threshold the category is left empty and
    the top-3 suggestions are stored for the review queue.
    """
    txns = list(transactions)
    if not txns:
        return CategorizeSummary()
    if any(t.id is None for t in txns):
        session.flush()
    rows = []
    pick = itemgetter(*FIELDS)
    for txn in txns:
        values = txn.__dict__
        if values.get("household_id", None) is None or "id" not in values:
            values = {name: getattr(txn, name) for name in ("household_id", *FIELDS)}
        if values["household_id"] != scope.household_id:
            raise ValueError("transaction belongs to another household")
        try:
            row = _Row(*pick(values), txn=txn)  # type: ignore[misc]  # pick() gives FIELDS only
        except KeyError:  # an expired attribute: read it through the ORM
            row = _Row(*[getattr(txn, name) for name in FIELDS], txn=txn)  # type: ignore[misc]
        rows.append(row)
    return _Run(session, scope, settings or current_settings()).run(rows)


def categorize_ids(
    session: DbSession,
    scope: Scope,
    ids: Iterable[int],
    *,
    settings: EngineSettings | None = None,
) -> CategorizeSummary:
    """categorize() for transactions named by id: no ORM objects are loaded or needed.

    For bulk callers (imports, syncs) that wrote rows below the ORM. Pending changes are flushed
    first; Transaction objects of these ids already in the session are brought up to date.
    Raises ValueError if an id is not one of the user's transactions.
    """
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return CategorizeSummary()
    session.flush()
    table = Transaction.__table__
    columns = [table.c[name] for name in FIELDS]
    rows: list[_Row] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows += [_Row(*r) for r in session.connection().execute(
            select(*columns).where(table.c.household_id == scope.household_id,
                table.c.id.in_(chunk)))]
    if len(rows) != len(wanted):
        raise ValueError("transaction belongs to another household or does not exist")
    return _Run(session, scope, settings or current_settings()).run(rows)


@dataclass(frozen=True, slots=True)
class NewTransaction:
    """A transaction about to be written, as much of it as the engine reads."""

    raw_description: str
    amount: Decimal
    account_id: int
    date: date
    merchant: str = ""
    provider_category: str = ""


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    """What categorize() would write for a new transaction, for its writer to store with it:
    the merchant, the category and its step and confidence, the review queue's top-3 when it
    goes to review ([[category_id, confidence], ...], empty without a model; None when decided)
    and the names of tags rules add."""

    merchant: str
    category_id: int | None
    category_source: str | None
    category_confidence: float | None
    suggestions: list[list] | None = None
    tags: tuple[str, ...] = ()


def decide_new(
    session: DbSession,
    scope: Scope,
    new: Sequence[NewTransaction],
    *,
    settings: EngineSettings | None = None,
) -> tuple[list[CategoryDecision], CategorizeSummary]:
    """categorize() for transactions not written yet: the same steps and answers, one
    CategoryDecision per transaction, nothing written. A bulk writer (an import) stores them
    with the rows, so 50,000 rows are written once instead of inserted and then updated (on
    PostgreSQL the update rewrites every index entry of every row). The caller stores the
    suggestions and the rules' tags once the rows have ids."""
    if not new:
        return [], CategorizeSummary()
    rows = [
        _Row(-(i + 1), t.raw_description, t.merchant, t.amount, t.account_id,
             t.provider_category, None, None, None, [], t.date)
        for i, t in enumerate(new)
    ]  # fmt: skip
    run = _Run(session, scope, settings or current_settings(), unwritten=True)
    run.decide_only(rows)
    queued = {entry["transaction_id"]: entry["suggestions"] for entry in run.review_rows}
    decisions = []
    for row in rows:
        changes = row.changes or {}
        decisions.append(CategoryDecision(
            merchant=changes.get("merchant", row.merchant),
            category_id=changes.get("category_id"),
            category_source=changes.get("category_source"),
            category_confidence=changes.get("category_confidence"),
            suggestions=queued.get(row.id),
            tags=run.rule_tags.get(row.id, ()),
        ))
    return decisions, run.summary


class _Run:
    """One categorize() call: the user's rules, memory and model are loaded once for the batch."""

    def __init__(self, session: DbSession, scope: Scope, settings: EngineSettings, *,
                 unwritten: bool = False) -> None:
        self.session, self.scope, self.settings = session, scope, settings
        # unwritten: rows not in the database yet (decide_new): no splits to look up, and the
        # tags rules add are collected by name for the writer instead of being applied
        self.unwritten = unwritten
        self.rule_tags: dict[int, tuple[str, ...]] = {}
        self.summary = CategorizeSummary()
        # The user's categories, loaded once.
        self.to_label, self.to_id = label_names(session, scope)
        self.review_rows: list[dict] = []

    def run(self, rows: list[_Row]) -> CategorizeSummary:
        # One write per chunk of decisions: no flush of half-decided rows while the engine
        # queries, and no ORM object is made dirty.
        with self.session.no_autoflush:
            for_model = self._decide(rows)
            predictor = load_predictor(self.session, self.scope, self.settings)
            changed: list[tuple[_Row, dict[str, Any]]] = []
            model_ids = {r.id for r in for_model}
            with RowWriter(self.session, large=len(rows) > CHUNK) as writer:
                self._write(writer, [r for r in rows if r.id not in model_ids], changed)
                for start in range(0, len(for_model), MODEL_CHUNK):
                    chunk = for_model[start : start + MODEL_CHUNK]
                    self._predict(predictor, chunk)
                    self._write(writer, chunk, changed)
            if writer.written:
                # Written below the ORM, so the session's hook did not see it.
                bump_ledger_version(self.session, self.scope.household_id)
            replace_suggestions(self.session, self.scope, [r.id for r in rows],
                                self.review_rows)
            sync_objects(self.session, changed)
        return self.summary

    def decide_only(self, rows: list[_Row]) -> None:
        """Every step of run(), with the decisions left in the rows' `changes` and
        `review_rows`: nothing is written."""
        with self.session.no_autoflush:
            for_model = self._decide(rows)
            predictor = load_predictor(self.session, self.scope, self.settings)
            for start in range(0, len(for_model), MODEL_CHUNK):
                self._predict(predictor, for_model[start : start + MODEL_CHUNK])

    def _decide(self, rows: list[_Row]) -> list[_Row]:
        """Merchant names, labels, rules and history; returns the rows left for the model."""
        names: dict[str, str] = {}
        for row in rows:
            if not row.merchant and row.raw_description and not row.is_locked("merchant"):
                text = row.raw_description
                name = names.get(text)
                if name is None:
                    name = names[text] = normalize_merchant(text)[:200]
                if name:
                    row.stage(merchant=name)

        user_set = [r for r in rows if r.user_set]
        self.summary.user_set = len(user_set)
        self.summary.labels_changed = record_labels(self.session, self.scope, user_set)

        open_ = [r for r in rows if not r.user_set]
        split_ids = set() if self.unwritten else _split_ids(self.session, open_)
        rules = _active_rules(self.session, self.scope)
        # Rules rename and tag every row; they set the category only where the person did not.
        decided = self._apply_rules(rows, rules) if rules else set()
        open_ = [r for r in open_ if r.id not in decided and r.id not in split_ids]

        if open_:
            memory = load_memory(self.session, self.scope)
            if memory:
                keys: dict[str, str] = {}
                remaining = []
                for row in open_:
                    text = row.text
                    key = keys.get(text)
                    if key is None:
                        key = keys[text] = merchant_key(text)
                    category_id = memory.get(key)
                    if category_id is not None and category_id in self.to_label:
                        self._assign(row, category_id, HISTORY, 1.0)
                    else:
                        remaining.append(row)
                open_ = remaining
        return open_

    def _assign(self, row: _Row, category_id: int | None, source: str | None,
                confidence: float | None) -> None:
        row.stage(category_id=category_id, category_source=source,
                  category_confidence=None if confidence is None else round(float(confidence), 4))
        if source is not None:
            self.summary.count(source)

    def _apply_rules(self, rows: list[_Row], rules: list[CompiledRule]) -> set[int]:
        from finance_app.services.transactions.records import apply_external_update
        from finance_app.services.transactions.tagging import tags_by_name

        decided: set[int] = set()
        tag_cache: dict[str, Tag] = {}
        for row in rows:
            changes = row.changes or {}
            merchant = str(changes.get("merchant", row.merchant) or "")
            view = TxnView(description=row.text, merchant=merchant,
                           amount=row.amount, account_id=row.account_id)
            effect = run_rules(rules, view)
            if not effect.matched:
                continue
            if effect.merchant and not row.is_locked("merchant"):
                row.stage(merchant=effect.merchant[:200])
            if effect.tags and self.unwritten:
                self.rule_tags[row.id] = tuple(effect.tags)
            elif effect.tags and not row.is_locked("tags"):
                missing = [n for n in effect.tags if n.casefold() not in tag_cache]
                if missing:
                    for tag in tags_by_name(self.session, self.scope, missing):
                        tag_cache[tag.name.casefold()] = tag
                txn = row.txn if row.txn is not None else self.session.get(Transaction, row.id)
                assert txn is not None  # the run holds the rows it categorizes
                have = {t.id for t in txn.tags}
                wanted = [tag_cache[n.casefold()] for n in effect.tags if n.casefold() in tag_cache]
                additions = [t for t in wanted if t.id not in have]
                if additions:
                    apply_external_update(txn, tags=[*txn.tags, *additions])
            category_id = effect.category_id
            if effect.sets_category and not row.user_set and category_id in self.to_label:
                self._assign(row, category_id, RULE, 1.0)
                decided.add(row.id)
        return decided

    def _predict(self, predictor: Predictor | None, rows: list[_Row]) -> None:
        """The model's decision, or the review queue below the threshold; no database use."""
        if predictor is None:
            for row in rows:
                self._to_review(row, None, [])
            return
        # Rows whose features are identical are scored once; the text-based parts of the key
        # are computed once per distinct bank string.
        text_keys: dict[str, tuple[str, str]] = {}
        groups: dict[tuple, int] = {}
        unique: list[tuple[str, float, str | None]] = []
        slots: list[int] = []
        # float only as a model feature; the amount itself stays Decimal
        amounts = [float(row.amount) for row in rows]
        directions, buckets = directions_and_buckets([row.text for row in rows], amounts)
        for row, amount, direction, bucket in zip(rows, amounts, directions, buckets,
                                                  strict=True):
            text = row.text
            text_key = text_keys.get(text)
            if text_key is None:
                text_key = text_keys[text] = (clean_text(text), merchant_text(text))
            provider = row.provider_category or ""
            key = (text_key, direction, bucket, provider)
            slot = groups.get(key)
            if slot is None:
                slot = groups[key] = len(unique)
                unique.append((text, amount, provider or None))
            slots.append(slot)
        texts, amounts, providers = (list(column) for column in zip(*unique, strict=True))
        scores = predictor.predict_scores(texts, amounts, providers)
        probabilities = scores.probabilities
        order = np.argsort(-probabilities, axis=1)[:, : min(TOP_K, probabilities.shape[1])]
        confidences = np.round(scores.confidences, 4).tolist()
        labels = scores.labels
        best = [self.to_id.get(labels[j]) for j in order[:, 0].tolist()]
        threshold = self.settings.threshold
        suggestions: dict[int, list[list]] = {}
        for row, slot in zip(rows, slots, strict=True):
            confidence = confidences[slot]
            category_id = best[slot]
            if category_id is not None and confidence >= threshold:
                self._assign(row, category_id, MODEL, confidence)
                continue
            top = suggestions.get(slot)
            if top is None:
                top = suggestions[slot] = self._suggestions(
                    [labels[j] for j in order[slot].tolist()],
                    np.round(probabilities[slot, order[slot]], 4).tolist(), confidence)
            self._to_review(row, confidence, top)

    def _to_review(self, row: _Row, confidence: float | None, suggestions: list[list]) -> None:
        self._assign(row, None, None, confidence)
        self.review_rows.append({"transaction_id": row.id, "household_id": self.scope.household_id,
                                 "suggestions": [list(s) for s in suggestions]})
        self.summary.review += 1

    def _suggestions(self, labels: list[str], probabilities: list[float],
                     confidence: float) -> list[list]:
        """Top-3 as [[category_id, confidence], ...]: the best with its calibrated confidence."""
        out: list[list] = []
        for rank, (label, probability) in enumerate(zip(labels, probabilities, strict=True)):
            category_id = self.to_id.get(label)
            if category_id is None or any(s[0] == category_id for s in out):
                continue
            score = confidence if rank == 0 else min(probability, confidence)
            out.append([category_id, round(float(score), 4)])
        return out

    def _write(self, writer: RowWriter, rows: list[_Row],
               changed_rows: list[tuple[_Row, dict[str, Any]]]) -> None:
        """Send what changed in `rows`, one bulk UPDATE per set of changed columns."""
        groups: dict[tuple[str, ...], list[tuple]] = {}
        for row in rows:
            changes = row.changes
            if not changes:
                continue
            changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
            if not changed:
                continue
            columns = tuple(sorted(changed))
            groups.setdefault(columns, []).append((row.id, *(changed[c] for c in columns)))
            changed_rows.append((row, changed))
        for columns, values in groups.items():
            writer.write(columns, values)


def _active_rules(session: DbSession, scope: Scope) -> list[CompiledRule]:
    rules = session.scalars(
        scoped(Rule, scope).where(Rule.is_active.is_(True)).order_by(Rule.position, Rule.id)
    )
    return [compile_rule(r.id, r.match, r.conditions or [], r.actions or {}, r.stop_processing)
            for r in rules]


def _split_ids(session: DbSession, rows: Sequence[_Row]) -> set[int]:
    """Split transactions carry their categories on their lines: the engine leaves them be."""
    found: set[int] = set()
    unknown = []
    for row in rows:
        txn = row.txn
        if txn is not None and "splits" in txn.__dict__:
            if txn.splits:
                found.add(row.id)
        else:
            unknown.append(row.id)
    column = SplitLine.__table__.c.transaction_id
    for start in range(0, len(unknown), CHUNK):
        found.update(session.connection().execute(
            select(column).where(column.in_(unknown[start : start + CHUNK])).distinct()
        ).scalars())
    return found
