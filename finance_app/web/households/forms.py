"""Forms of the households blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from finance_app.models.household import EDITOR, ROLE_LABELS, ROLES

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ROLES]


class InviteForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=EDITOR,
                       description="Owners manage members; editors change data; viewers only "
                                   "look.")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class RenameForm(FlaskForm):
    name = StringField("Household name", validators=[DataRequired(), Length(max=120)])


class DeleteHouseholdForm(FlaskForm):
    confirmation = StringField("Type the household's name to confirm",
                               validators=[DataRequired()])
