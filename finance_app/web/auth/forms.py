"""Forms of the auth blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=12, max=256, message="Use at least 12 characters."),
        ],
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm = PasswordField(
        "Confirm password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in on this device")


class TwoFactorForm(FlaskForm):
    code = StringField(
        "Authentication code",
        validators=[DataRequired(), Length(max=20)],
        description="The 6-digit code from your authenticator app, or a recovery code.",
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=12, max=256, message="Use at least 12 characters.")],
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired(), EqualTo("password", "Passwords differ.")],
    )


class EmptyForm(FlaskForm):
    """A form with only its CSRF token, for buttons that post."""
