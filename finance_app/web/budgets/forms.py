"""Forms of the budgets blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, SelectField
from wtforms.validators import DataRequired, NumberRange

from finance_app.models.budget import BUDGET_PERIODS
from finance_app.services.budgets.budgets import PERIOD_LABELS


class BudgetAmountField(DecimalField):
    """An amount typed by a person: Decimal, two places, never negative."""


def _standing_amount(label: str) -> BudgetAmountField:
    return BudgetAmountField(label, places=2, validators=[DataRequired(), NumberRange(min=0.01)],
                             render_kw={"inputmode": "decimal"})


class EditBudgetForm(FlaskForm):
    """What can change on an existing budget: its standing amount and rollover."""

    amount = _standing_amount("Standing amount")
    rollover = BooleanField("Carry what is left into the next period")
    rollover_overspend = BooleanField("Carry overspending into the next period too")


class BudgetForm(EditBudgetForm):
    """A new budget: which category or group, how often, then what an edit can change."""

    category_id = SelectField("Category or group", coerce=int, validators=[DataRequired()])
    period = SelectField("Period", choices=[(p, PERIOD_LABELS[p]) for p in BUDGET_PERIODS])
    amount = _standing_amount("Amount")


class PeriodAmountForm(FlaskForm):
    amount = BudgetAmountField("Amount this period", places=2,
                               validators=[DataRequired(), NumberRange(min=0)],
                               render_kw={"inputmode": "decimal"})
