"""The review queue (uncategorized transactions with the model's top-3) and rule offers.

Rows of the same normalized merchant (the merchant-memory key) are one question: the queue shows
the newest of them with how many more it stands for, and one answer settles them all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from finance_app.db import DbSession
from finance_app.ml.merchants import merchant_key
from finance_app.models.categorization import CategorySuggestion, MerchantMemory, Rule
from finance_app.models.ledger import Category, SplitLine, Transaction
from finance_app.services.categorization.rules import RuleInput, create_rule
from finance_app.services.errors import NotFound
from finance_app.services.scope import Scope, owned, scope_filter, scoped
from finance_app.services.transactions import bulk
from finance_app.services.transactions import records as transaction_service

PAGE_SIZE = 50
RULE_OFFER_AFTER = 2  # the same merchant given the same category this many times in a row


def _in_queue(scope: Scope) -> list[ColumnElement[bool]]:
    """Uncategorized, not chosen so by the person, not split, not a transfer, not excluded."""
    return [
        scope_filter(Transaction, scope),
        Transaction.category_id.is_(None),
        or_(Transaction.category_source.is_(None), Transaction.category_source != "user"),
        Transaction.transfer_peer_id.is_(None),
        Transaction.is_excluded.is_(False),
        ~exists().where(SplitLine.transaction_id == Transaction.id),
    ]


def count_review(session: DbSession, scope: Scope, among: Collection[int] | None = None) -> int:
    """How many transactions wait for review (of the ids `among`, when given): one COUNT."""
    only = [Transaction.id.in_(list(among))] if among is not None else []
    return int(session.scalar(
        select(func.count()).select_from(Transaction).where(*_in_queue(scope), *only)) or 0)


@dataclass
class ReviewItem:
    """One question: the newest row of a merchant, its suggestions and the rows it settles."""

    txn: Transaction
    suggestions: list[tuple[Category, float]]
    group_ids: list[int] = field(default_factory=list)

    @property
    def others(self) -> int:
        """How many more queued rows of the same merchant the answer also settles."""
        return max(0, len(self.group_ids) - 1)


@dataclass
class ReviewPage:
    items: list[ReviewItem]
    total: int  # queued transactions
    page: int
    pages: int
    questions: int = 0  # queued merchants: what the person is actually asked


def group_key(raw_description: str | None, merchant: str | None, txn_id: int) -> str:
    """The question a row belongs to: its merchant-memory key, or the row alone without one."""
    return merchant_key(raw_description or merchant or "") or f"#{txn_id}"


def queue_by_merchant(session: DbSession, scope: Scope) -> dict[str, list[int]]:
    """The queue as questions, newest first: group key -> that merchant's row ids, newest first."""
    groups: dict[str, list[int]] = {}
    for txn_id, raw, merchant in session.execute(
        select(Transaction.id, Transaction.raw_description, Transaction.merchant)
        .where(*_in_queue(scope))
        .order_by(Transaction.date.desc(), Transaction.id.desc())
    ):
        groups.setdefault(group_key(raw, merchant, txn_id), []).append(txn_id)
    return groups


def list_review(session: DbSession, scope: Scope, page: int = 1) -> ReviewPage:
    """One page of questions, newest first, each with its suggestions (best first)."""
    groups = list(queue_by_merchant(session, scope).values())
    total = sum(len(g) for g in groups)
    pages = max(1, -(-len(groups) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = groups[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    by_lead = {group[0]: group for group in shown}
    rows = session.execute(
        select(Transaction, CategorySuggestion.suggestions)
        .outerjoin(CategorySuggestion, and_(CategorySuggestion.transaction_id == Transaction.id,
                                            scope_filter(CategorySuggestion, scope)))
        .where(scope_filter(Transaction, scope), Transaction.id.in_(list(by_lead)))
        .options(selectinload(Transaction.account))
        .order_by(Transaction.date.desc(), Transaction.id.desc())
    ).all()
    categories = {c.id: c for c in session.scalars(scoped(Category, scope))}
    items = [
        ReviewItem(txn, [(categories[cid], score) for cid, score in (suggestions or [])
                         if cid in categories], by_lead[txn.id])
        for txn, suggestions in rows
    ]
    return ReviewPage(items=items, total=total, page=page, pages=pages, questions=len(groups))


def _group_of(session: DbSession, scope: Scope, txn: Transaction) -> list[int]:
    """The queued rows that share `txn`'s merchant (`txn` itself excluded)."""
    key = group_key(txn.raw_description, txn.merchant, txn.id)
    return [i for i in queue_by_merchant(session, scope).get(key, []) if i != txn.id]


def accept(session: DbSession, scope: Scope, txn_id: Any, category_id: Any) -> Transaction:
    """The person picks a category (a suggestion or any other) for a row and every queued row
    of the same merchant: user edits, hence labels and merchant memory."""
    owned(session, Category, category_id, scope)
    txn = owned(session, Transaction, txn_id, scope)
    others = _group_of(session, scope, txn)
    updated = transaction_service.update_transaction(session, scope, txn_id,
                                                     category_id=int(category_id))
    if others:
        bulk.recategorize(session, scope, others, int(category_id))
    return updated


def accept_top(session: DbSession, scope: Scope, ids: Iterable[Any]) -> int:
    """Bulk accept: each selected question gets its best suggestion, for all its rows; rows
    without a suggestion are skipped. Returns how many transactions were categorized."""
    rows = bulk.load_selection(session, scope, ids)
    suggestions: dict[int, list] = dict(session.execute(
        select(CategorySuggestion.transaction_id, CategorySuggestion.suggestions).where(
            scope_filter(CategorySuggestion, scope),
            CategorySuggestion.transaction_id.in_([t.id for t in rows]))
    ).all())
    groups = {group_key(t.raw_description, t.merchant, t.id): t for t in rows}
    queued = queue_by_merchant(session, scope) if groups else {}
    by_category: dict[int, list[int]] = {}
    for key, txn in groups.items():
        top = suggestions.get(txn.id) or []
        if top:
            ids_ = dict.fromkeys([txn.id, *queued.get(key, [])])
            by_category.setdefault(int(top[0][0]), []).extend(ids_)
    accepted = 0
    for category_id, txn_ids in by_category.items():
        accepted += bulk.recategorize(session, scope, list(dict.fromkeys(txn_ids)), category_id)
    return accepted


@dataclass
class RuleOffer:
    memory_id: int
    merchant: str
    category: Category
    count: int


def list_rule_offers(session: DbSession, scope: Scope, limit: int = 3) -> list[RuleOffer]:
    """Merchants the person gave the same category twice or more, with no rule for them yet."""
    rows = session.execute(
        select(MerchantMemory, Category)
        .join(Category, Category.id == MerchantMemory.category_id)
        .where(scope_filter(MerchantMemory, scope), MerchantMemory.count >= RULE_OFFER_AFTER,
               MerchantMemory.rule_offer == "", MerchantMemory.merchant_name != "")
        .order_by(MerchantMemory.updated_at.desc(), MerchantMemory.id.desc())
        .limit(limit * 4)
    ).all()
    if not rows:
        return []
    covered = _merchants_with_rules(session, scope)
    offers = [RuleOffer(m.id, m.merchant_name, c, m.count) for m, c in rows
              if m.merchant_name.casefold() not in covered]
    return offers[:limit]


def _merchants_with_rules(session: DbSession, scope: Scope) -> set[str]:
    names: set[str] = set()
    for conditions in session.scalars(select(Rule.conditions).where(scope_filter(Rule, scope))):
        for cond in conditions or []:
            if cond.get("field") in ("merchant", "description") and cond.get("value"):
                names.add(str(cond["value"]).casefold())
    return names


def accept_rule_offer(session: DbSession, scope: Scope, memory_id: Any) -> Rule:
    """One click: "merchant is <name>" -> set <category>."""
    memory = owned(session, MerchantMemory, memory_id, scope)
    category = session.get(Category, memory.category_id)
    if category is None or category.household_id != scope.household_id:
        raise NotFound()
    rule = create_rule(session, scope, RuleInput(
        name=f"{memory.merchant_name} → {category.name}",
        conditions=[{"field": "merchant", "op": "equals", "value": memory.merchant_name}],
        category_id=category.id,
    ))
    memory.rule_offer = "created"
    return rule


def dismiss_rule_offer(session: DbSession, scope: Scope, memory_id: Any) -> None:
    owned(session, MerchantMemory, memory_id, scope).rule_offer = "dismissed"
    session.flush()
