"""Tests for rules: ALL/ANY, order, stop, each condition kind, actions, locks, preview, past."""

from __future__ import annotations

import pytest

from finance_app.extensions import db
from finance_app.services.categorization import categorize
from finance_app.services.categorization.matching import TxnView, compile_rule, run_rules
from finance_app.services.categorization.rules import (
    ActionRequired,
    ConditionRequired,
    InvalidAmountRange,
    RuleInput,
    apply_rule_to_past,
    create_rule,
    move_rule,
    preview_rule,
)
from finance_app.services.categorization.settings import EngineSettings
from finance_app.services.errors import NotFound
from finance_app.services.transactions import records as txn_service
from tests.factories import account, category, imported, make_user, scope_of

NO_MODEL = EngineSettings(model_dir=None)


def view(description="SHELL OIL 123", merchant="Shell", amount="-40", account_id=1):
    from decimal import Decimal

    return TxnView(description, merchant, Decimal(amount), account_id)


def rule(rule_id, conditions, match="all", category_id=None, tags=(), merchant="", stop=False):
    return compile_rule(rule_id, match, conditions,
                        {"category_id": category_id, "tags": list(tags), "merchant": merchant},
                        stop)


SHELL = {"field": "description", "op": "contains", "value": "shell"}
BIG = {"field": "amount", "op": "out_between", "min": "100", "max": ""}


@pytest.mark.parametrize(("match", "amount", "expected"), [
    ("all", "-40", False), ("all", "-140", True), ("any", "-40", True), ("any", "50", True),
])
def test_all_and_any(match, amount, expected):
    effect = run_rules([rule(1, [SHELL, BIG], match, category_id=7)], view(amount=amount))
    assert effect.matched is expected


def test_later_rules_win_a_field_and_stop_ends_the_run():
    first = rule(1, [SHELL], category_id=1, tags=["car"])
    second = rule(2, [SHELL], category_id=2, tags=["fuel"], merchant="Shell Gas")
    assert run_rules([first, second], view()).category_id == 2
    effect = run_rules([first, second], view())
    assert effect.tags == ["car", "fuel"] and effect.merchant == "Shell Gas"
    stopping = rule(1, [SHELL], category_id=1, stop=True)
    effect = run_rules([stopping, second], view())
    assert effect.category_id == 1 and effect.matched_rule_ids == [1]


def test_a_rule_sees_the_merchant_an_earlier_rule_set():
    rename = rule(1, [SHELL], merchant="Fuel stop")
    by_name = rule(2, [{"field": "merchant", "op": "equals", "value": "fuel STOP"}], category_id=9)
    assert run_rules([rename, by_name], view()).category_id == 9


@pytest.mark.parametrize(("cond", "expected"), [
    ({"field": "description", "op": "starts_with", "value": "shell"}, True),
    ({"field": "description", "op": "ends_with", "value": "123"}, True),
    ({"field": "description", "op": "equals", "value": "shell oil"}, False),
    ({"field": "merchant", "op": "equals", "value": "SHELL"}, True),
    ({"field": "amount", "op": "between", "min": "40", "max": "40"}, True),
    ({"field": "amount", "op": "in_between", "min": "", "max": ""}, False),
    ({"field": "amount", "op": "between", "min": "40.01", "max": ""}, False),
    ({"field": "account", "op": "is", "value": 1}, True),
    ({"field": "account", "op": "is_not", "value": 1}, False),
])
def test_condition_kinds(cond, expected):
    assert run_rules([rule(1, [cond], category_id=3)], view()).matched is expected


def test_rules_run_in_position_order_and_can_be_reordered(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    fuel, travel = category(uid, "Transport"), category(uid, "Travel")
    first = create_rule(db.session, scope, RuleInput("A", conditions=[SHELL], category_id=fuel.id))
    create_rule(db.session, scope, RuleInput("B", conditions=[SHELL], category_id=travel.id))
    txn = imported(uid, "SHELL OIL 55")
    categorize(db.session, scope, [txn], settings=NO_MODEL)
    assert txn.category_id == travel.id  # the later rule wins the category
    move_rule(db.session, scope, first.id, "down")
    categorize(db.session, scope, [txn], settings=NO_MODEL)
    assert txn.category_id == fuel.id


def test_rule_actions_respect_locked_fields(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    create_rule(db.session, scope, RuleInput(
        "Shell", conditions=[SHELL], category_id=category(uid, "Transport").id,
        tags=["fuel"], merchant="Shell Gas"))
    txn = imported(uid, "SHELL OIL 55")
    txn_service.update_transaction(db.session, scope, txn.id, merchant="My garage", tags=["mine"])
    categorize(db.session, scope, [txn], settings=NO_MODEL)
    assert txn.merchant == "My garage"
    assert [t.name for t in txn.tags] == ["mine"]
    assert txn.category_source == "rule"
    fresh = imported(uid, "SHELL OIL 77")
    categorize(db.session, scope, [fresh], settings=NO_MODEL)
    assert fresh.merchant == "Shell Gas" and [t.name for t in fresh.tags] == ["fuel"]


def test_inactive_rules_do_not_run(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    create_rule(db.session, scope, RuleInput("Off", conditions=[SHELL], is_active=False,
                                           category_id=category(uid, "Transport").id))
    txn = imported(uid, "SHELL OIL 55")
    categorize(db.session, scope, [txn], settings=NO_MODEL)
    assert txn.category_id is None


@pytest.mark.parametrize(("data", "error"), [
    (RuleInput("x", conditions=[{"field": "description", "op": "contains", "value": ""}],
               merchant="y"), ConditionRequired),
    (RuleInput("x", conditions=[SHELL]), ActionRequired),
    (RuleInput("x", conditions=[{"field": "amount", "op": "between", "min": "9", "max": "2"}],
               merchant="y"), InvalidAmountRange),
    (RuleInput("x", conditions=[{"field": "amount", "op": "between", "min": "abc"}],
               merchant="y"), InvalidAmountRange),
])
def test_invalid_rules_are_refused(ctx, data, error):
    uid = make_user().id
    with pytest.raises(error):
        create_rule(db.session, scope_of(uid), data)


def test_foreign_category_or_account_is_not_found(ctx):
    alice, bob = make_user("a@example.com").id, make_user("b@example.com").id
    with pytest.raises(NotFound):
        create_rule(db.session, scope_of(bob), RuleInput("x", conditions=[SHELL],
                                               category_id=category(alice, "Travel").id))
    with pytest.raises(NotFound):
        create_rule(db.session, scope_of(bob), RuleInput("x", merchant="y", conditions=[
            {"field": "account", "op": "is", "value": account(alice).id}]))


def test_preview_and_apply_to_past_leave_user_choices_alone(ctx):
    uid = make_user().id
    scope = scope_of(uid)
    transport = category(uid, "Transport")
    mine = category(uid, "Gifts & donations")
    rows = [imported(uid, f"SHELL OIL {n}") for n in range(3)]
    other = imported(uid, "SAFEWAY 12")
    txn_service.update_transaction(db.session, scope, rows[0].id, category_id=mine.id)
    data = RuleInput("Shell", conditions=[SHELL], category_id=transport.id)
    preview = preview_rule(db.session, scope, data)
    assert preview.count == 3 and other not in preview.sample
    rule_row = create_rule(db.session, scope, data)
    progress = []
    result = apply_rule_to_past(db.session, scope, rule_row.id, lambda p, m: progress.append(p))
    assert result == {"matched": 3, "changed": 2}
    assert rows[0].category_id == mine.id
    assert {rows[1].category_id, rows[2].category_id} == {transport.id}
    assert progress[-1] == 95 and other.category_id is None
