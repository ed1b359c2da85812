"""Forms of the import wizard: the upload, and the column mapping with its preview."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from finance_app.importers import ColumnMapping
from finance_app.models.ledger import ACCOUNT_TYPE_LABELS, Account
from finance_app.money import currency_choices

NEW_ACCOUNT = "new"
NONE = -1  # "no such column"


class UploadForm(FlaskForm):
    file = FileField("Bank export", validators=[FileRequired("Choose a file to upload.")],
                     description="CSV, Excel (.xlsx), OFX/QFX or QIF, as your bank exports it.",
                     render_kw={"accept": ".csv,.txt,.tsv,.xlsx,.xlsm,.ofx,.qfx,.qif"})
    account = SelectField("Import into", validate_choice=False)
    new_account_name = StringField("New account name", validators=[Optional(), Length(max=120)])
    new_account_type = SelectField("New account type", choices=list(ACCOUNT_TYPE_LABELS.items()),
                                   default="checking")
    # "" lets the file say (a currency column, OFX CURDEF, "€" or "EUR" in the amounts).
    new_account_currency = SelectField(
        "New account currency", choices=[("", "As the file says"), *currency_choices()],
        default="", description="Asked when the file does not say.")

    def set_accounts(self, accounts: Sequence[Account]) -> None:
        self.account.choices = [(str(a.id), a.name) for a in accounts] + [
            (NEW_ACCOUNT, "+ Create a new account")]
        if not self.account.data or self.account.data == "None":
            self.account.data = str(accounts[0].id) if accounts else NEW_ACCOUNT


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MappingForm(FlaskForm):
    date_column = SelectField("Date", coerce=int)
    date_order = SelectField("Date format", choices=[
        ("MDY", "Month/day/year (01/31/2025)"), ("DMY", "Day/month/year (31/01/2025)"),
        ("YMD", "Year-month-day (2025-01-31)")])
    description_columns = CheckboxList("Description", coerce=int)
    amount_column = SelectField("Amount", coerce=int)
    debit_column = SelectField("Money out", coerce=int)
    credit_column = SelectField("Money in", coerce=int)
    indicator_column = SelectField("Debit/credit marker", coerce=int)
    invert_sign = SelectField("Sign", choices=[
        ("0", "Negative amounts are money out"),
        ("1", "Positive amounts are money out (credit-card style)")])
    sign_confirmed = BooleanField("Yes, I have checked: the amounts below have the right sign")
    decimal_separator = SelectField("Decimal mark", choices=[
        (".", "Point: 1,234.56"), (",", "Comma: 1.234,56")])
    external_id_column = SelectField("Bank's transaction id", coerce=int)
    currency_column = SelectField("Currency", coerce=int)

    def set_columns(self, columns: Sequence[str], samples: Sequence[str]) -> None:
        """Offer the file's columns, each labelled with a sample value."""
        named = [(i, f"{name} — e.g. {sample[:24]}" if sample else name)
                 for i, (name, sample) in enumerate(zip(columns, samples, strict=True))]
        self.date_column.choices = named
        self.description_columns.choices = named
        none = [(NONE, "— none —")]
        self.amount_column.choices = [
            (NONE, "— none: separate money-out and money-in columns —"), *named]
        for f in (self.debit_column, self.credit_column, self.indicator_column,
                  self.external_id_column, self.currency_column):
            f.choices = none + named

    def fill(self, mapping: ColumnMapping) -> None:
        def col(value: int | None) -> int:
            return NONE if value is None else value

        self.date_column.data = mapping.date_column
        self.date_order.data = mapping.date_order
        self.description_columns.data = list(mapping.description_columns)
        self.amount_column.data = col(mapping.amount_column)
        self.debit_column.data = col(mapping.debit_column)
        self.credit_column.data = col(mapping.credit_column)
        self.indicator_column.data = col(mapping.indicator_column)
        self.invert_sign.data = "1" if mapping.invert_sign else "0"
        self.sign_confirmed.data = mapping.sign_confirmed
        self.decimal_separator.data = mapping.decimal_separator
        self.external_id_column.data = col(mapping.external_id_column)
        self.currency_column.data = col(mapping.currency_column)

    def to_mapping(self, base: ColumnMapping) -> ColumnMapping:
        """The mapping chosen in the form; settings the form does not show come from `base`."""
        def col(value: int | None) -> int | None:
            return None if value is None or value == NONE else value

        amount = col(self.amount_column.data)
        chosen = ColumnMapping(
            date_column=self.date_column.data if self.date_column.data is not None
            else base.date_column,
            description_columns=tuple(self.description_columns.data or ()),
            amount_column=amount,
            debit_column=None if amount is not None else col(self.debit_column.data),
            credit_column=None if amount is not None else col(self.credit_column.data),
            indicator_column=col(self.indicator_column.data) if amount is not None else None,
            date_order=self.date_order.data or base.date_order,
            decimal_separator=self.decimal_separator.data or ".",
            invert_sign=self.invert_sign.data == "1",
            external_id_column=col(self.external_id_column.data),
            currency_column=col(self.currency_column.data),
            default_currency=base.default_currency,
            # Why the sign needs confirming is the draft's, never the form's, to say.
            sign_to_confirm=base.sign_to_confirm,
            sign_confirmed=bool(self.sign_confirmed.data) and bool(base.sign_to_confirm),
            confidence=1.0,
            explanation=("Column choices made on the preview page",),
        )
        if _choices(chosen) == _choices(base):
            return base  # unchanged: keep how sure detection was, and why
        return chosen


def _choices(mapping: ColumnMapping) -> dict:
    data = mapping.to_dict()
    data.pop("confidence")
    data.pop("explanation")
    return data
