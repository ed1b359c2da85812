"""Forms of the accounts blueprint."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from finance_app.models.ledger import ACCOUNT_TYPE_LABELS, ACCOUNT_TYPES
from finance_app.money import (
    MoneyError,
    currency_choices,
    fits_currency,
    parse_amount,
    precision_rule,
)

ACCOUNT_ICONS = (
    "bank", "wallet2", "piggy-bank", "credit-card", "cash-stack", "graph-up-arrow", "house",
    "car-front", "currency-euro", "currency-pound", "safe", "briefcase",
)  # fmt: skip
COLOR = Regexp(r"^#[0-9a-fA-F]{6}$", message="Pick a colour like #4338ca.")


def parse_money_field(text: str | None) -> Decimal:
    try:
        return parse_amount(text or "0")
    except MoneyError as exc:
        raise ValidationError("Enter an amount such as 1,234.56 or -250.00.") from exc


class AccountForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    type = SelectField("Type", choices=[(t, ACCOUNT_TYPE_LABELS[t]) for t in ACCOUNT_TYPES])
    institution = StringField("Bank or institution", validators=[Length(max=120)])
    currency = SelectField("Currency", choices=currency_choices())
    opening_balance = StringField(
        "Opening balance", default="0.00",
        description="For credit cards and loans, enter what you owe as a negative amount.",
    )
    opening_date = DateField("Opening date", validators=[Optional()])
    group_name = StringField(
        "Group", validators=[Length(max=60)],
        description="Optional: accounts are listed by group, or by type when empty.",
    )
    color = StringField("Colour", default="#4338ca", validators=[COLOR],
                        render_kw={"type": "color"})
    icon = SelectField("Icon", choices=[(i, i.replace("-", " ")) for i in ACCOUNT_ICONS])
    include_in_net_worth = BooleanField("Include in net worth", default=True)
    is_private = BooleanField(
        "Private to me", default=False,
        description="Other members of the household will not see this account or its "
                    "transactions, nor count them in totals.")

    def validate_opening_balance(self, field: StringField) -> None:
        value = parse_money_field(field.data)
        currency = self.currency.data or "USD"
        if not fits_currency(value, currency):
            # Rounding it would store a balance other than the one typed.
            raise ValidationError(f"{precision_rule(currency)}: {value} cannot be stored.")
        field.parsed = value


class RateForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired()])
    base = SelectField("From", choices=currency_choices(), default="EUR")
    quote = SelectField("To", choices=currency_choices(), default="USD")
    rate = StringField("Rate", validators=[DataRequired(), Length(max=30)],
                       description="How many units of “To” one unit of “From” buys.",
                       render_kw={"inputmode": "decimal"})


class RateUploadForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")],
                     description="Columns: date,from,to,rate (e.g. 2024-03-01,EUR,USD,1.0842).")
