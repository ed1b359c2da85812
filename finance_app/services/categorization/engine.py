"""The single entry point every source calls to categorize new or changed transactions.

Manual entry, file import, Plaid sync and rule re-runs all call `categorize()`; the engine decides
per transaction (rules, then the user's own history, then the model) and records which step
decided and how sure it was. Fields the user set by hand are never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from finance_app.db import utcnow
from finance_app.ml import Prediction, merchant_key, normalize_merchant
from finance_app.ml.features import amount_bucket, clean_text, direction_of, merchant_text
from finance_app.models.categorization import CategorySuggestion, Rule
from finance_app.models.ledger import Category, SplitLine, Tag, Transaction
from finance_app.services.categorization.labels import (
    is_user_set,
    load_memory,
    record_labels,
    text_of,
)
from finance_app.services.categorization.learning import label_names, load_predictor
from finance_app.services.categorization.matching import (
    CompiledRule,
    TxnView,
    compile_rule,
    run_rules,
)
from finance_app.services.categorization.settings import EngineSettings, current_settings
from finance_app.services.scope import scoped

CHUNK = 5000
RULE, HISTORY, MODEL, USER = "rule", "history", "model", "user"


@dataclass
class CategorizeSummary:
    """How many transactions each step decided, and how many went to review."""

    decided: dict[str, int] = field(default_factory=dict)
    review: int = 0
    user_set: int = 0
    labels_changed: int = 0

    def count(self, step: str) -> None:
        self.decided[step] = self.decided.get(step, 0) + 1


def categorize(
    session: Session,
    user_id: int,
    transactions: Sequence[Transaction],
    *,
    settings: EngineSettings | None = None,
) -> CategorizeSummary:
    """Categorize `transactions` of `user_id` in place: rules, history, then the model.

    Transactions must be in the session. A category the user set is never changed; it is
    recorded as a label instead. Below the confidence threshold the category is left empty and
    the top-3 suggestions are stored for the review queue.
    """
    txns = list(transactions)
    for txn in txns:
        if txn.user_id != user_id:
            raise ValueError("transaction belongs to another user")
    if not txns:
        return CategorizeSummary()
    if any(t.id is None for t in txns):
        session.flush()
    return _Run(session, user_id, settings or current_settings()).run(txns)


class _Run:
    """One categorize() call: the user's rules, memory and model are loaded once for the batch."""

    def __init__(self, session: Session, user_id: int, settings: EngineSettings) -> None:
        # Imported lazily: services.transactions imports this module.
        from finance_app.services.transactions import apply_external_update

        self.session, self.user_id, self.settings = session, user_id, settings
        self.apply_update = apply_external_update
        self.summary = CategorizeSummary()
        self.staged: dict[int, tuple[Transaction, dict[str, object]]] = {}
        # The user's categories, loaded once: relationship updates below hit the identity map.
        self.to_label, self.to_id = label_names(session, user_id)

    def run(self, txns: list[Transaction]) -> CategorizeSummary:
        # One write at the end: no flush of half-decided rows while the engine queries.
        with self.session.no_autoflush:
            self._decide(txns)
            self._write()
        return self.summary

    def _decide(self, txns: list[Transaction]) -> None:
        texts = [text_of(t) for t in txns]
        for txn, text in zip(txns, texts, strict=True):
            if not txn.merchant and text:
                name = normalize_merchant(text)[:200]
                if name:
                    self._stage(txn, merchant=name)

        user_set = [t for t in txns if is_user_set(t)]
        self.summary.user_set = len(user_set)
        self.summary.labels_changed = record_labels(self.session, self.user_id, user_set)

        open_ = [i for i, t in enumerate(txns) if not is_user_set(t)]
        split_ids = _split_ids(self.session, [txns[i] for i in open_])
        rules = _active_rules(self.session, self.user_id)
        decided = self._apply_rules(txns, rules) if rules else set()
        open_ = [i for i in open_ if i not in decided and txns[i].id not in split_ids]

        if open_:
            memory = load_memory(self.session, self.user_id)
            remaining = []
            for i in open_:
                category_id = memory.get(merchant_key(texts[i]))
                if category_id is not None and category_id in self.to_label:
                    self._assign(txns[i], category_id, HISTORY, 1.0)
                else:
                    remaining.append(i)
            open_ = remaining

        review_rows = self._predict(txns, open_) if open_ else []
        _store_suggestions(self.session, [t.id for t in txns], review_rows)

    def _stage(self, txn: Transaction, **fields: object) -> None:
        """Note a change for the one bulk write; fields the person locked are skipped, as
        apply_external_update() does for single rows."""
        if "merchant" in fields and txn.is_locked("merchant"):
            fields.pop("merchant")
        if "category_id" in fields and is_user_set(txn):
            return
        if fields:
            self.staged.setdefault(txn.id, (txn, {}))[1].update(fields)

    def _write(self) -> None:
        """One executemany UPDATE per set of columns, then the objects updated without making
        them dirty: 50,000 rows through the unit of work would take far longer."""
        if not self.staged:
            return
        now = utcnow()
        batches: dict[tuple[str, ...], list[dict]] = {}
        for txn_id, (txn, fields) in self.staged.items():
            changed = {k: v for k, v in fields.items() if getattr(txn, k) != v}
            if changed:
                batches.setdefault(tuple(sorted(changed)), []).append(
                    {"id": txn_id, "updated_at": now, **changed})
        for rows in batches.values():
            for start in range(0, len(rows), CHUNK):
                # the objects are brought up to date below, cheaper than the ORM's evaluation
                self.session.execute(update(Transaction), rows[start : start + CHUNK],
                                     execution_options={"synchronize_session": False})
        for txn, fields in self.staged.values():
            for name, value in fields.items():
                set_committed_value(txn, name, value)
            if "category_id" in fields and "category" in txn.__dict__:
                category_id = fields["category_id"]
                set_committed_value(txn, "category", self.session.get(Category, category_id)
                                    if category_id else None)
        self.staged.clear()

    def _assign(self, txn: Transaction, category_id: int | None, source: str | None,
                confidence: float | None) -> None:
        self._stage(
            txn, category_id=category_id, category_source=source,
            category_confidence=None if confidence is None else round(float(confidence), 4),
        )
        if source is not None:
            self.summary.count(source)

    def _apply_rules(self, txns: list[Transaction], rules: list[CompiledRule]) -> set[int]:
        from finance_app.services.tagging import tags_by_name

        decided: set[int] = set()
        tag_cache: dict[str, Tag] = {}
        for i, txn in enumerate(txns):
            staged = self.staged.get(txn.id, (txn, {}))[1]
            merchant = str(staged.get("merchant", txn.merchant) or "")
            view = TxnView(description=text_of(txn), merchant=merchant,
                           amount=txn.amount, account_id=txn.account_id)
            effect = run_rules(rules, view)
            if not effect.matched:
                continue
            if effect.merchant:
                self._stage(txn, merchant=effect.merchant[:200])
            if effect.tags and not txn.is_locked("tags"):
                missing = [n for n in effect.tags if n.casefold() not in tag_cache]
                if missing:
                    for tag in tags_by_name(self.session, self.user_id, missing):
                        tag_cache[tag.name.casefold()] = tag
                have = {t.id for t in txn.tags}
                wanted = [tag_cache[n.casefold()] for n in effect.tags if n.casefold() in tag_cache]
                additions = [t for t in wanted if t.id not in have]
                if additions:
                    self.apply_update(txn, tags=[*txn.tags, *additions])
            category_id = effect.category_id
            if effect.sets_category and not is_user_set(txn) and category_id in self.to_label:
                self._assign(txn, category_id, RULE, 1.0)
                decided.add(i)
        return decided

    def _predict(self, txns: list[Transaction], indexes: list[int]) -> list[dict]:
        predictor = load_predictor(self.session, self.user_id, self.settings)
        predictions: list[Prediction | None]
        if predictor is None:
            predictions = [None] * len(indexes)
        else:
            groups: dict[tuple[str, ...], int] = {}
            order: list[int] = []
            unique: list[int] = []
            for i in indexes:
                txn = txns[i]
                # float only as a model feature; the amount itself stays Decimal
                key = _feature_key(text_of(txn), float(txn.amount), txn.provider_category or "")
                slot = groups.get(key)
                if slot is None:
                    slot = groups[key] = len(unique)
                    unique.append(i)
                order.append(slot)
            distinct = predictor.predict(
                [text_of(txns[i]) for i in unique],
                [float(txns[i].amount) for i in unique],
                [txns[i].provider_category or None for i in unique],
            )
            predictions = [distinct[slot] for slot in order]

        now = utcnow()
        review_rows = []
        for i, prediction in zip(indexes, predictions, strict=True):
            txn = txns[i]
            if prediction is not None:
                best = self.to_id.get(prediction.category)
                if best is not None and prediction.confidence >= self.settings.threshold:
                    self._assign(txn, best, MODEL, prediction.confidence)
                    continue
            self._assign(txn, None, None, prediction.confidence if prediction else None)
            review_rows.append({"transaction_id": txn.id, "user_id": self.user_id,
                                "suggestions": _suggestions(prediction, self.to_id),
                                "created_at": now})
            self.summary.review += 1
        return review_rows


def _active_rules(session: Session, user_id: int) -> list[CompiledRule]:
    rules = session.scalars(
        scoped(Rule, user_id).where(Rule.is_active.is_(True)).order_by(Rule.position, Rule.id)
    )
    return [compile_rule(r.id, r.match, r.conditions or [], r.actions or {}, r.stop_processing)
            for r in rules]


def _split_ids(session: Session, txns: Sequence[Transaction]) -> set[int]:
    """Split transactions carry their categories on their lines: the engine leaves them be."""
    found: set[int] = set()
    unknown = []
    for txn in txns:
        if "splits" in txn.__dict__:
            if txn.splits:
                found.add(txn.id)
        else:
            unknown.append(txn.id)
    for start in range(0, len(unknown), CHUNK):
        found.update(session.scalars(
            select(SplitLine.transaction_id).where(
                SplitLine.transaction_id.in_(unknown[start : start + CHUNK])).distinct()
        ))
    return found


def _feature_key(text: str, amount: float, provider: str) -> tuple[str, ...]:
    """Two rows with the same key get the same features, so the model scores them once."""
    return (clean_text(text), merchant_text(text), direction_of(text, amount),
            amount_bucket(amount), provider)


def _suggestions(prediction: Prediction | None, to_id: dict[str, int]) -> list[list]:
    """Top-3 as [[category_id, confidence], ...]: the best with its calibrated confidence."""
    if prediction is None:
        return []
    out: list[list] = []
    for rank, (label, probability) in enumerate(prediction.top):
        category_id = to_id.get(label)
        if category_id is None or any(s[0] == category_id for s in out):
            continue
        score = prediction.confidence if rank == 0 else min(probability, prediction.confidence)
        out.append([category_id, round(float(score), 4)])
    return out


def _store_suggestions(session: Session, ids: list[int], rows: list[dict]) -> None:
    for start in range(0, len(ids), CHUNK):
        session.execute(delete(CategorySuggestion).where(
            CategorySuggestion.transaction_id.in_(ids[start : start + CHUNK])))
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(CategorySuggestion), rows[start : start + CHUNK])
