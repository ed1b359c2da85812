"""Forms of the rules blueprint: a rule with condition rows (more on request, no JS needed)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import Length

from finance_app.services.categorization.matching import FIELDS, OP_LABELS, OPS_BY_FIELD
from finance_app.services.categorization.rules import RuleInput
from finance_app.services.transactions.tagging import parse_tag_names

FIELD_LABELS = {"description": "Description", "merchant": "Merchant", "amount": "Amount",
                "account": "Account"}
EMPTY_ROWS = 2
MAX_ROWS = 10


class ConditionForm(Form):
    """One condition row; rows left blank are ignored."""

    field = SelectField("Field", choices=[(f, FIELD_LABELS[f]) for f in FIELDS])
    op = SelectField("Operator", choices=[
        (op, OP_LABELS[op]) for op in dict.fromkeys(o for ops in OPS_BY_FIELD.values()
                                                    for o in ops)
    ])
    value = StringField("Text", validators=[Length(max=200)])
    min = StringField("From", validators=[Length(max=20)])
    max = StringField("To", validators=[Length(max=20)])
    account = SelectField("Account", choices=[], validate_choice=False)


class RuleForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    match = RadioField("Match", choices=[("all", "All conditions"), ("any", "Any condition")],
                       default="all")
    conditions = FieldList(FormField(ConditionForm), min_entries=EMPTY_ROWS, max_entries=MAX_ROWS)
    category_id = SelectField("Set category", choices=[], validate_choice=False)
    tags = StringField("Add tags", validators=[Length(max=300)],
                       description="Comma-separated, e.g. coffee, work")
    merchant = StringField("Rename merchant to", validators=[Length(max=200)])
    stop_processing = BooleanField("Stop after this rule (later rules do not run)")
    is_active = BooleanField("Active", default=True)
    apply_to_past = BooleanField("Also apply to matching past transactions")

    def set_choices(self, category_options: list[tuple[str, str]],
                    account_options: list[tuple[int, str]]) -> None:
        self.category_id.choices = category_options
        accounts = [("", "Choose…")] + [(str(i), name) for i, name in account_options]
        for entry in self.conditions:
            entry.form.account.choices = accounts

    def to_input(self) -> RuleInput:
        conditions = []
        for entry in self.conditions:
            row = entry.form
            conditions.append({
                "field": row.field.data, "op": row.op.data,
                "value": row.account.data if row.field.data == "account" else row.value.data,
                "min": row.min.data, "max": row.max.data,
            })
        category = self.category_id.data
        return RuleInput(
            name=self.name.data or "", match=self.match.data or "all", conditions=conditions,
            category_id=int(category) if category and str(category).isdigit() else None,
            tags=parse_tag_names(self.tags.data or ""), merchant=self.merchant.data or "",
            stop_processing=bool(self.stop_processing.data), is_active=bool(self.is_active.data),
        )

    def fill_from(self, data: RuleInput) -> None:
        self.name.data, self.match.data = data.name, data.match
        self.category_id.data = str(data.category_id or "")
        self.tags.data, self.merchant.data = ", ".join(data.tags), data.merchant
        self.stop_processing.data, self.is_active.data = data.stop_processing, data.is_active
        while len(self.conditions.entries):
            self.conditions.pop_entry()
        for cond in [*data.conditions, *({} for _ in range(EMPTY_ROWS - 1))][:MAX_ROWS]:
            self.conditions.append_entry()
            row = self.conditions.entries[-1].form
            row.field.data = cond.get("field", "description")
            row.op.data = cond.get("op", "contains")
            value = cond.get("value", "")
            row.value.data = "" if row.field.data == "account" else value
            row.account.data = str(value) if row.field.data == "account" else ""
            row.min.data, row.max.data = cond.get("min", ""), cond.get("max", "")
