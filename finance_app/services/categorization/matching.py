"""Rule conditions and actions as pure functions over a light view of a transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from finance_app.models.categorization import MATCH_ANY

TEXT_FIELDS = ("description", "merchant")
TEXT_OPS = ("contains", "equals", "starts_with", "ends_with")
AMOUNT_OPS = ("between", "out_between", "in_between")
ACCOUNT_OPS = ("is", "is_not")
FIELDS = (*TEXT_FIELDS, "amount", "account")
OPS_BY_FIELD = {
    "description": TEXT_OPS,
    "merchant": TEXT_OPS,
    "amount": AMOUNT_OPS,
    "account": ACCOUNT_OPS,
}
OP_LABELS = {
    "contains": "contains",
    "equals": "is",
    "starts_with": "starts with",
    "ends_with": "ends with",
    "between": "size between",
    "out_between": "money out between",
    "in_between": "money in between",
    "is": "is",
    "is_not": "is not",
}


@dataclass
class TxnView:
    """What rules look at and change: kept apart from the ORM so previews can scan tuples."""

    description: str
    merchant: str
    amount: Decimal
    account_id: int


@dataclass
class RuleEffect:
    """The combined actions of the rules that matched, in order (later rules win a field)."""

    matched_rule_ids: list[int] = field(default_factory=list)
    category_id: int | None = None
    sets_category: bool = False
    tags: list[str] = field(default_factory=list)
    merchant: str | None = None

    @property
    def matched(self) -> bool:
        return bool(self.matched_rule_ids)


@dataclass(frozen=True)
class CompiledRule:
    """A rule prepared for matching: lowercase needles and Decimal bounds parsed once."""

    id: int
    match_any: bool
    conditions: tuple[tuple[str, str, Any, Any], ...]  # (field, op, a, b)
    category_id: int | None
    sets_category: bool
    tags: tuple[str, ...]
    merchant: str
    stop: bool


def parse_decimal(text: Any) -> Decimal | None:
    """A non-negative bound such as "12.50" (thousands commas allowed), or None when blank."""
    raw = str(text if text is not None else "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return abs(value) if value.is_finite() else None


def compile_rule(
    rule_id: int,
    match: str,
    conditions: Sequence[dict[str, Any]],
    actions: dict[str, Any],
    stop_processing: bool,
) -> CompiledRule:
    compiled: list[tuple[Any, Any, Any, Any]] = []
    for cond in conditions:
        name, op = cond.get("field"), cond.get("op")
        if name in TEXT_FIELDS:
            compiled.append((name, op, str(cond.get("value") or "").casefold(), None))
        elif name == "amount":
            compiled.append((name, op, parse_decimal(cond.get("min")),
                             parse_decimal(cond.get("max"))))
        elif name == "account":
            compiled.append((name, op, int(cond.get("value") or 0), None))
    category = actions.get("category_id")
    return CompiledRule(
        id=rule_id,
        match_any=match == MATCH_ANY,
        conditions=tuple(compiled),
        category_id=int(category) if category else None,
        sets_category=bool(category),
        tags=tuple(actions.get("tags") or ()),
        merchant=str(actions.get("merchant") or ""),
        stop=stop_processing,
    )


def _text_matches(op: str, haystack: str, needle: str) -> bool:
    if op == "contains":
        return needle in haystack
    if op == "equals":
        return haystack.strip() == needle.strip()
    if op == "starts_with":
        return haystack.startswith(needle)
    if op == "ends_with":
        return haystack.endswith(needle)
    return False


def condition_matches(cond: tuple[str, str, Any, Any], view: TxnView) -> bool:
    name, op, a, b = cond
    if name == "description":
        return _text_matches(op, view.description.casefold(), a)
    if name == "merchant":
        return _text_matches(op, view.merchant.casefold(), a)
    if name == "amount":
        if op == "out_between" and view.amount >= 0:
            return False
        if op == "in_between" and view.amount <= 0:
            return False
        size = abs(view.amount)
        return (a is None or size >= a) and (b is None or size <= b)
    if name == "account":
        return (view.account_id == a) == (op == "is")
    return False


def rule_matches(rule: CompiledRule, view: TxnView) -> bool:
    if not rule.conditions:
        return False
    results = (condition_matches(cond, view) for cond in rule.conditions)
    return any(results) if rule.match_any else all(results)


def run_rules(rules: Sequence[CompiledRule], view: TxnView) -> RuleEffect:
    """Apply rules in order; each sees what earlier ones changed; a 'stop' rule ends the run."""
    effect = RuleEffect()
    for rule in rules:
        if not rule_matches(rule, view):
            continue
        effect.matched_rule_ids.append(rule.id)
        if rule.sets_category:
            effect.category_id, effect.sets_category = rule.category_id, True
        for tag in rule.tags:
            if tag.casefold() not in {t.casefold() for t in effect.tags}:
                effect.tags.append(tag)
        if rule.merchant:
            effect.merchant = rule.merchant
            view.merchant = rule.merchant
        if rule.stop:
            break
    return effect
