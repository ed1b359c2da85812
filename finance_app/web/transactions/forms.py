"""Forms of the transactions blueprint."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from finance_app.money import MoneyError, fits_currency, parse_amount, precision_rule
from finance_app.services.transactions.choices import Choices


def amount_value(text: str | None) -> Decimal:
    """Parse a typed amount; raises ValidationError with a message fit for the field."""
    try:
        return parse_amount(text or "")
    except MoneyError as exc:
        raise ValidationError("Enter an amount such as 12.50.") from exc


def category_value(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


class TransactionForm(FlaskForm):
    account_id = SelectField("Account", coerce=int, validators=[InputRequired()])
    date = DateField("Date", validators=[DataRequired(message="Enter a date.")])
    direction = RadioField(
        "Direction", choices=[("out", "Money out"), ("in", "Money in")], default="out",
        validators=[InputRequired()],
    )
    amount = StringField(
        "Amount", validators=[DataRequired(message="Enter an amount.")],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    merchant = StringField("Merchant", validators=[Length(max=200)])
    raw_description = StringField(
        "Bank description", validators=[Length(max=500)],
        description="As it appears on the statement; the merchant is what you see in lists.",
    )
    category_id = SelectField("Category", validators=[Optional()])
    tags = StringField("Tags", validators=[Length(max=600)],
                       description="Separate tags with commas.")
    notes = TextAreaField("Notes", validators=[Length(max=5000)], render_kw={"rows": 3})
    is_pending = BooleanField("Pending")
    is_excluded = BooleanField("Exclude from budgets and reports")
    next = HiddenField()

    def set_choices(self, choices: Choices) -> None:
        self.account_id.choices = choices.account_options()
        self.category_id.choices = choices.category_options()
        self._choices = choices

    def validate_amount(self, field: Any) -> None:
        value = amount_value(field.data)
        if value == 0:
            raise ValidationError("Enter an amount other than zero.")
        choices: Choices | None = getattr(self, "_choices", None)
        if choices is not None and isinstance(self.account_id.data, int):
            currency = choices.currency_of(self.account_id.data)
            if not fits_currency(value, currency):
                raise ValidationError(f"{precision_rule(currency)}: {value} cannot be stored.")

    def signed_amount(self) -> Decimal:
        """The typed magnitude with the chosen direction: money out is negative."""
        value = abs(amount_value(self.amount.data))
        return -value if self.direction.data == "out" else value

    def service_fields(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id.data,
            "date": self.date.data,
            "amount": self.signed_amount(),
            "merchant": self.merchant.data or "",
            "raw_description": self.raw_description.data or "",
            "category_id": category_value(self.category_id.data),
            "tags": (self.tags.data or "").split(","),
            "notes": self.notes.data or "",
            "is_pending": bool(self.is_pending.data),
            "is_excluded": bool(self.is_excluded.data),
        }


class QuickEditForm(FlaskForm):
    merchant = StringField("Merchant", validators=[Length(max=200)])
    category_id = SelectField("Category", validators=[Optional()])
    tags = StringField("Tags", validators=[Length(max=600)])
    notes = StringField("Notes", validators=[Length(max=5000)])
    next = HiddenField()

    def service_fields(self, posted: Any) -> dict[str, Any]:
        """Only the fields that were posted: a partial form must not blank the others."""
        values = {
            "merchant": self.merchant.data or "",
            "category_id": category_value(self.category_id.data),
            "tags": (self.tags.data or "").split(","),
            "notes": self.notes.data or "",
        }
        return {name: value for name, value in values.items() if name in posted}


class SplitLineForm(Form):
    category_id = SelectField("Category", validators=[Optional()])
    amount = StringField("Amount", render_kw={"inputmode": "decimal", "autocomplete": "off"})
    note = StringField("Note", validators=[Length(max=200)])


class SplitForm(FlaskForm):
    lines = FieldList(FormField(SplitLineForm), min_entries=2, max_entries=50)

    def set_choices(self, choices: Choices) -> None:
        for entry in self.lines:
            entry.form.category_id.choices = choices.category_options()


class SaveViewForm(FlaskForm):
    name = StringField("View name", validators=[DataRequired(message="Give the view a name."),
                                                Length(max=80)])
    query = HiddenField()


class AttachmentForm(FlaskForm):
    file = FileField("Receipt (JPEG, PNG or PDF)", validators=[FileRequired("Choose a file.")])
