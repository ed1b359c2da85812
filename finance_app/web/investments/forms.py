"""Forms of the investments blueprint: the trades and prices uploads, an account's lot method,
a trade by hand."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from finance_app.models.investment import (
    BUY,
    DIVIDEND,
    LOT_METHOD_LABELS,
    LOT_METHODS,
    REINVEST,
    SECURITY_KIND_LABELS,
    SECURITY_KINDS,
    SELL,
)
from finance_app.money import MoneyError, parse_amount

NEW_ACCOUNT = "new"


class TradesUploadForm(FlaskForm):
    file = FileField("Trades file (CSV)", validators=[FileRequired("Choose a file to upload.")],
                     description="Columns date,symbol,action,quantity,price,fees.")
    account = SelectField("Into the account", choices=[], validate_choice=False)
    new_account = StringField("New account's name", validators=[Optional(), Length(max=120)],
                              description="When adding a new investment account.")


class PricesUploadForm(FlaskForm):
    file = FileField("Prices file (CSV)", validators=[FileRequired("Choose a file to upload.")],
                     description="Columns date,symbol,close.")


class LotMethodForm(FlaskForm):
    method = SelectField("Lots sold by", choices=[(m, LOT_METHOD_LABELS[m]) for m in LOT_METHODS])


class TradeForm(FlaskForm):
    """A trade entered by hand on a holding's page (a sale may choose its lots)."""

    account = SelectField("Account", choices=[], validate_choice=False)
    action = SelectField("Trade", choices=[(BUY, "Buy"), (SELL, "Sell"), (DIVIDEND, "Dividend"),
                                           (REINVEST, "Reinvested dividend")])
    day = DateField("Date", default=date.today)
    quantity = StringField("Quantity", render_kw={"inputmode": "decimal"},
                           description="Shares (for a dividend: the shares it was paid on).")
    price = StringField("Price", render_kw={"inputmode": "decimal"},
                        description="Per share (for a dividend: per share paid).")
    fees = StringField("Fees", validators=[Optional()], render_kw={"inputmode": "decimal"})

    def _number(self, field: StringField, example: str, *, positive: bool) -> None:
        try:
            value = parse_amount((field.data or "0").strip() or "0", ".")
        except MoneyError as exc:
            raise ValidationError(f"Enter a number such as {example}.") from exc
        if value < 0 or (positive and value == 0):
            raise ValidationError("Enter a number above zero." if positive
                                  else "It cannot be negative.")
        field.parsed = value

    def validate_quantity(self, field: StringField) -> None:
        self._number(field, "10", positive=True)

    def validate_price(self, field: StringField) -> None:
        self._number(field, "123.45", positive=True)

    def validate_fees(self, field: StringField) -> None:
        self._number(field, "1.00", positive=False)


class SecurityForm(FlaskForm):
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    kind = SelectField("Kind", choices=[(k, SECURITY_KIND_LABELS[k]) for k in SECURITY_KINDS])
