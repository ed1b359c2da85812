"""Rules: create, edit, order and delete them; preview their matches; apply them to the past."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from finance_app.db import DbSession
from finance_app.models.categorization import MATCH_ALL, MATCH_ANY, Rule
from finance_app.models.ledger import Account, Category, Transaction
from finance_app.services.categorization.matching import (
    OPS_BY_FIELD,
    TEXT_FIELDS,
    CompiledRule,
    TxnView,
    compile_rule,
    parse_decimal,
    rule_matches,
)
from finance_app.services.errors import ValidationFailed
from finance_app.services.scope import Scope, owned, scope_filter, scoped
from finance_app.services.transactions.tagging import parse_tag_names

MAX_CONDITIONS = 10
PREVIEW_LIMIT = 50
SCAN_CHUNK = 2000


class RuleNameRequired(ValidationFailed):
    """Give the rule a name."""


class ConditionRequired(ValidationFailed):
    """Add at least one complete condition."""


class ActionRequired(ValidationFailed):
    """Choose what the rule does: a category, tags or a merchant name."""


class InvalidCondition(ValidationFailed):
    """One of the conditions is incomplete or not valid."""


class InvalidAmountRange(ValidationFailed):
    """Enter amounts such as 12.50, the lower one first."""


@dataclass
class RuleInput:
    """A rule as a person fills it in; conditions are dicts (see matching.py)."""

    name: str
    match: str = MATCH_ALL
    conditions: list[dict[str, Any]] = field(default_factory=list)
    category_id: int | None = None
    tags: list[str] = field(default_factory=list)
    merchant: str = ""
    stop_processing: bool = False
    is_active: bool = True


def list_rules(session: DbSession, scope: Scope) -> list[Rule]:
    return list(session.scalars(scoped(Rule, scope).order_by(Rule.position, Rule.id)))


def get_rule(session: DbSession, scope: Scope, rule_id: Any) -> Rule:
    return owned(session, Rule, rule_id, scope)


def clean_input(session: DbSession, scope: Scope, data: RuleInput) -> RuleInput:
    """Validate and normalize a rule: owned category/account ids, parsed amounts, tag names."""
    name = (data.name or "").strip()
    if not name:
        raise RuleNameRequired()
    if data.match not in (MATCH_ALL, MATCH_ANY):
        raise InvalidCondition()
    conditions = [cleaned for c in data.conditions
                  if (cleaned := _clean_condition(session, scope, c)) is not None]
    if not conditions:
        raise ConditionRequired()
    if len(conditions) > MAX_CONDITIONS:
        raise InvalidCondition(f"A rule can have at most {MAX_CONDITIONS} conditions.")
    category_id = None
    if data.category_id:
        category_id = owned(session, Category, data.category_id, scope).id
    tags = parse_tag_names(data.tags)
    merchant = (data.merchant or "").strip()[:200]
    if category_id is None and not tags and not merchant:
        raise ActionRequired()
    return RuleInput(
        name=name[:120], match=data.match, conditions=conditions, category_id=category_id,
        tags=tags, merchant=merchant, stop_processing=bool(data.stop_processing),
        is_active=bool(data.is_active),
    )


def _clean_condition(session: DbSession, scope: Scope, cond: dict[str, Any]) -> dict | None:
    name, op = cond.get("field") or "", cond.get("op") or ""
    if name in TEXT_FIELDS:
        value = str(cond.get("value") or "").strip()
        if not value:
            return None  # an untouched row of the form
        if op not in OPS_BY_FIELD[name]:
            raise InvalidCondition()
        return {"field": name, "op": op, "value": value[:200]}
    if name == "amount":
        low_text, high_text = str(cond.get("min") or ""), str(cond.get("max") or "")
        if not low_text.strip() and not high_text.strip():
            return None
        low, high = parse_decimal(low_text), parse_decimal(high_text)
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            raise InvalidAmountRange()
        if low is not None and high is not None and low > high:
            raise InvalidAmountRange()
        if op not in OPS_BY_FIELD["amount"]:
            raise InvalidCondition()
        return {"field": "amount", "op": op, "min": _text(low), "max": _text(high)}
    if name == "account":
        if not cond.get("value"):
            return None
        if op not in OPS_BY_FIELD["account"]:
            raise InvalidCondition()
        return {"field": "account", "op": op,
                "value": owned(session, Account, cond.get("value"), scope).id}
    if not name:
        return None
    raise InvalidCondition()


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _apply(rule: Rule, data: RuleInput) -> None:
    rule.name, rule.match, rule.conditions = data.name, data.match, data.conditions
    rule.actions = {"category_id": data.category_id, "tags": data.tags, "merchant": data.merchant}
    rule.stop_processing, rule.is_active = data.stop_processing, data.is_active


def create_rule(session: DbSession, scope: Scope, data: RuleInput) -> Rule:
    data = clean_input(session, scope, data)
    last = session.scalar(select(func.max(Rule.position)).where(scope_filter(Rule, scope)))
    rule = Rule(household_id=scope.household_id, position=(last or 0) + 1)
    _apply(rule, data)
    session.add(rule)
    session.flush()
    return rule


def update_rule(session: DbSession, scope: Scope, rule_id: Any, data: RuleInput) -> Rule:
    rule = get_rule(session, scope, rule_id)
    _apply(rule, clean_input(session, scope, data))
    session.flush()
    return rule


def delete_rule(session: DbSession, scope: Scope, rule_id: Any) -> None:
    session.delete(get_rule(session, scope, rule_id))
    session.flush()


def move_rule(session: DbSession, scope: Scope, rule_id: Any, direction: str) -> None:
    """Swap the rule with its neighbour above ("up") or below ("down")."""
    rules = list_rules(session, scope)
    rule = get_rule(session, scope, rule_id)
    index = rules.index(rule)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    for position, item in enumerate(rules, start=1):
        item.position = position
    session.flush()


def input_from_rule(rule: Rule) -> RuleInput:
    actions = rule.actions or {}
    return RuleInput(
        name=rule.name, match=rule.match, conditions=list(rule.conditions or []),
        category_id=actions.get("category_id"), tags=list(actions.get("tags") or []),
        merchant=actions.get("merchant") or "", stop_processing=rule.stop_processing,
        is_active=rule.is_active,
    )


def _compiled(data: RuleInput, rule_id: int = 0) -> CompiledRule:
    actions = {"category_id": data.category_id, "tags": data.tags, "merchant": data.merchant}
    return compile_rule(rule_id, data.match, data.conditions, actions, data.stop_processing)


def _scan(session: DbSession, scope: Scope, compiled: CompiledRule) -> Iterator[int]:
    """Ids of the user's transactions the rule's conditions match, newest first."""
    query = (
        select(Transaction.id, Transaction.raw_description, Transaction.merchant,
               Transaction.amount, Transaction.account_id)
        .where(scope_filter(Transaction, scope))
        .order_by(Transaction.date.desc(), Transaction.id.desc())
        .execution_options(yield_per=SCAN_CHUNK)
    )
    for txn_id, raw, merchant, amount, account_id in session.execute(query):
        view = TxnView(description=raw or merchant or "", merchant=merchant or "",
                       amount=amount, account_id=account_id)
        if rule_matches(compiled, view):
            yield txn_id


@dataclass
class Preview:
    count: int
    sample: list[Transaction]


def preview_rule(session: DbSession, scope: Scope, data: RuleInput) -> Preview:
    """Which existing transactions the (unsaved) rule matches: how many, and the newest few."""
    data = clean_input(session, scope, data)
    ids = list(_scan(session, scope, _compiled(data)))
    sample_ids = ids[:PREVIEW_LIMIT]
    sample = list(session.scalars(
        scoped(Transaction, scope).where(Transaction.id.in_(sample_ids))
        .order_by(Transaction.date.desc(), Transaction.id.desc())
    )) if sample_ids else []
    return Preview(count=len(ids), sample=sample)


def count_matches(session: DbSession, scope: Scope, rule_id: Any) -> int:
    rule = get_rule(session, scope, rule_id)
    return sum(1 for _ in _scan(session, scope, _compiled(input_from_rule(rule), rule.id)))


def apply_rule_to_past(
    session: DbSession, scope: Scope, rule_id: Any,
    progress: Callable[[int, str], None] | None = None,
) -> dict[str, int]:
    """Re-run the engine on every transaction the rule matches (all rules, in order, so 'stop'
    and later rules behave as they will for new transactions); locked fields stay untouched."""
    from finance_app.services.categorization.engine import categorize

    report = progress or (lambda pct, msg: None)
    rule = get_rule(session, scope, rule_id)
    report(2, "Finding matching transactions…")
    ids = list(_scan(session, scope, _compiled(input_from_rule(rule), rule.id)))
    changed = 0
    for start in range(0, len(ids), SCAN_CHUNK):
        chunk = list(session.scalars(
            scoped(Transaction, scope).where(Transaction.id.in_(ids[start : start + SCAN_CHUNK]))
        ))
        before = {t.id: (t.category_id, t.merchant) for t in chunk}
        categorize(session, scope, chunk)
        session.flush()
        changed += sum(1 for t in chunk if before[t.id] != (t.category_id, t.merchant))
        done = min(start + SCAN_CHUNK, len(ids))
        report(5 + 90 * done // max(len(ids), 1), f"Applied to {done:,} of {len(ids):,}…")
    return {"matched": len(ids), "changed": changed}
