"""Forms of the debts blueprint: a debt, and the plan's GET form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from finance_app.models.debt import DEBT_KIND_LABELS, DEBT_KINDS
from finance_app.money import MoneyError, currency_choices, currency_quantum, parse_amount
from finance_app.services.debts.planner import DebtSpec, debt_problems


def parse_number(text: str | None, example: str) -> Decimal:
    try:
        return parse_amount((text or "").strip().removesuffix("%") or "0", ".")
    except MoneyError as exc:
        raise ValidationError(f"Enter a number such as {example}.") from exc


class DebtForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    kind = SelectField("Kind", choices=[(k, DEBT_KIND_LABELS[k]) for k in DEBT_KINDS])
    account_id = SelectField(
        "Linked account", choices=[("", "None: I enter the balance")],
        description="A loan or credit-card account: the balance then follows its transactions.")
    balance = StringField("Balance owed", default="0.00", description="What you owe today.",
                          render_kw={"inputmode": "decimal"})
    currency = SelectField("Currency", choices=currency_choices())
    apr = StringField("APR (%)", default="0", description="Yearly interest rate, e.g. 19.99.",
                      render_kw={"inputmode": "decimal"})
    minimum_payment = StringField("Minimum payment", render_kw={"inputmode": "decimal"},
                                  description="The least you must pay each month.")
    custom_rank = IntegerField(
        "Custom order", default=0, validators=[Optional(), NumberRange(-10_000, 10_000)],
        description="For a custom plan: lower numbers are paid off first.")

    def validate_balance(self, field: StringField) -> None:
        field.parsed = parse_number(field.data, "1250.00")

    def validate_apr(self, field: StringField) -> None:
        field.parsed = parse_number(field.data, "19.99")

    def validate_minimum_payment(self, field: StringField) -> None:
        field.parsed = parse_number(field.data, "35.00")

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then every rule of the planner at once (so a person sees
        all that is wrong, not one thing per try); the service checks them again."""
        valid = super().validate(extra_validators)
        numbers = (self.balance, self.apr, self.minimum_payment)
        if any(f.errors for f in numbers):
            return False
        linked = bool(self.account_id.data)
        spec = DebtSpec(self.name.data or "", Decimal(0) if linked else self.balance.parsed,
                        self.apr.parsed, self.minimum_payment.parsed)
        fields = {"name": self.name, "balance": self.balance, "apr": self.apr,
                  "minimum": self.minimum_payment}
        for problem in debt_problems(spec, currency_quantum(self.currency.data or "USD")):
            field = fields[problem.field]
            field.errors = [*field.errors, str(problem)]
            valid = False
        return valid
