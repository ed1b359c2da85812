"""The dashboard's filter form (a plain GET form: bookmarkable, works without JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField
from wtforms.validators import Optional

from finance_app.models.ledger import Account
from finance_app.services.ledger.periods import PRESETS, DateRange, preset_range
from finance_app.services.ledger.query import LedgerQuery
from finance_app.services.scope import Scope


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only GET form

    range = SelectField("Period", choices=list(PRESETS.items()), default="this_month")
    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
    account = SelectMultipleField("Accounts", coerce=int, validators=[Optional()],
                                  description="None selected = all accounts.")
    # Whose accounts: "" everyone's, "me", or a member's user id (choices set per household).
    member = SelectField("Whose", choices=[("", "Everyone's")], default="",
                         validators=[Optional()], validate_choice=False)

    def date_range(self, today: date) -> DateRange:
        preset = self.range.data or "this_month"
        if preset == "custom" and self.start.data and self.end.data:
            start, end = sorted((self.start.data, self.end.data))
            return DateRange(start, end)
        return preset_range(preset, today)

    def query(self, scope: Scope, currency: str, today: date,
              accounts: Sequence[Account] = ()) -> LedgerQuery:
        valid = {value for value, _ in self.account.choices or []}
        chosen = tuple(sorted(a for a in (self.account.data or []) if a in valid))
        member = self.member.data or ""
        if member in {value for value, _ in self.member.choices or []} and member:
            member_id = scope.member_id if member == "me" else int(member)
            theirs = {a.id for a in accounts if a.owner_id == member_id}
            # A member with no accounts matches nothing; account id 0 never exists.
            chosen = tuple(sorted(theirs & set(chosen) if chosen else theirs)) or (0,)
        return LedgerQuery(scope, currency, today, self.date_range(today), chosen)
