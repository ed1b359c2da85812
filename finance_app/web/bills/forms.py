"""Forms of the bills blueprint: a series (added by hand or edited) and a merge."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from finance_app.models.recurring import (
    INTERVAL_LABELS,
    INTERVALS,
    SERIES_KIND_LABELS,
    SERIES_KINDS,
)
from finance_app.money import MoneyError, parse_amount


class SeriesForm(FlaskForm):
    merchant = StringField("Name", validators=[InputRequired(), Length(max=200)],
                           description="Who is paid (or pays you), e.g. Netflix.")
    amount = StringField("Amount", render_kw={"inputmode": "decimal"},
                         description="The usual amount, e.g. 15.49.")
    interval = SelectField("Every", choices=[(i, INTERVAL_LABELS[i]) for i in INTERVALS],
                           default="monthly")
    kind = SelectField("Kind", choices=[(k, SERIES_KIND_LABELS[k]) for k in SERIES_KINDS],
                       default="bill")
    next_due = DateField("Next due", validators=[Optional()])
    account_id = SelectField("Account", choices=[], validate_choice=False,
                             description="Optional: the account it is paid from.")

    def validate_amount(self, field: StringField) -> None:
        try:
            field.parsed = abs(parse_amount((field.data or "").strip(), "."))
        except MoneyError as exc:
            raise ValidationError("Enter the amount as a number such as 15.49.") from exc
        if field.parsed == 0:
            raise ValidationError("The amount must be more than zero.")


class MergeForm(FlaskForm):
    other_id = SelectField("Merge with", choices=[], validate_choice=False)
