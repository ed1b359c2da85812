"""Forms of the settings blueprint."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from finance_app.money import currency_choices
from finance_app.services.identity.users import LOCALES
from finance_app.services.weekly_summary.due import WEEKDAYS

TIMEZONES = sorted(available_timezones())


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=120)])
    base_currency = SelectField(
        "Default currency", choices=currency_choices(),
        description="Totals, budgets and net worth are shown in this currency.",
    )
    timezone = SelectField("Time zone", choices=[(z, z.replace("_", " ")) for z in TIMEZONES])
    locale = SelectField("Locale", choices=[(loc, loc.replace("_", "-")) for loc in LOCALES])
    notify_budget_email = BooleanField("Email me when a budget reaches 80 %, 90 % or 100 %")
    notify_weekly_email = BooleanField("Send me the weekly summary email")
    weekly_email_weekday = SelectField(
        "Weekly email on", coerce=int, choices=list(enumerate(WEEKDAYS)),
    )
    weekly_email_hour = SelectField(
        "at", coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)],
    )
    weekly_email_figures = BooleanField(
        "Put figures in the weekly email (spending, budgets at risk)",
        description="Off: the email only says your summary is ready, with a link to sign in.",
    )
    notify_security_email = BooleanField("Email me about security events")
    notify_goal_email = BooleanField("Email me when a goal reaches 25 %, 50 %, 75 % or 100 %")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=12, max=256, message="Use at least 12 characters.")],
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired(), EqualTo("new_password", "Passwords differ.")],
    )


class ConfirmTwoFactorForm(FlaskForm):
    code = StringField(
        "6-digit code from your app",
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired()])
    code = StringField(
        "Authentication or recovery code",
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired()])
    code = StringField(
        "Authentication or recovery code (if two-factor is on)",
        validators=[Length(max=20)], render_kw={"autocomplete": "one-time-code"},
    )
    confirmation = StringField(
        'Type "DELETE" to confirm', validators=[DataRequired(), Length(max=10)]
    )


class AnonymizeForm(FlaskForm):
    before = DateField("Anonymize transactions dated before", validators=[DataRequired()])
    password = PasswordField("Your password", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
