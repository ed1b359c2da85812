"""Forms of the goals blueprint: a goal (with the accounts funding it) and a contribution."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from finance_app.models.goal import GOAL_KIND_LABELS, GOAL_KINDS
from finance_app.money import MoneyError, currency_choices, parse_amount


def parse_money(text: str | None, example: str) -> Decimal:
    try:
        return parse_amount((text or "").strip(), ".")
    except MoneyError as exc:
        raise ValidationError(f"Enter an amount such as {example}.") from exc


class GoalForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    kind = SelectField("Kind", choices=[(k, GOAL_KIND_LABELS[k]) for k in GOAL_KINDS])
    target_amount = StringField("Target amount", render_kw={"inputmode": "decimal"},
                                description="How much the goal needs, e.g. 12000.00.")
    currency = SelectField("Currency", choices=currency_choices(),
                           description="Linked accounts must be in this currency.")
    target_date = DateField("Target date", validators=[Optional()],
                            description="Optional: the day you want to have it by.")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)],
                          render_kw={"rows": 2})

    # The member's today, set by the route before validating (the service checks it again).
    today: date | None = None

    def validate_target_amount(self, field: StringField) -> None:
        field.parsed = parse_money(field.data, "12000.00")
        if field.parsed <= 0:
            raise ValidationError("The target must be more than zero.")

    def validate_target_date(self, field: DateField) -> None:
        if field.data is not None and self.today is not None and field.data < self.today:
            raise ValidationError("The target date is in the past: pick today or a later day.")


class ContributionForm(FlaskForm):
    amount = StringField("Amount", render_kw={"inputmode": "decimal"},
                         description="Negative when you take money back out.")
    day = DateField("Date", default=date.today)
    note = StringField("Note", validators=[Optional(), Length(max=200)])

    def validate_amount(self, field: StringField) -> None:
        field.parsed = parse_money(field.data, "250.00")
