"""Forms of the categories blueprint."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from finance_app.models.ledger import CATEGORY_KINDS

COLOR = Regexp(r"^#[0-9a-fA-F]{6}$", message="Pick a colour like #4f46e5.")
KIND_CHOICES = [(k, k.capitalize()) for k in CATEGORY_KINDS]


class CategoryForm(FlaskForm):
    """Add a group (no group chosen) or a category inside a group."""

    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    parent_id = SelectField("Group", coerce=str, description="Leave empty to add a new group.")
    kind = SelectField("Kind", choices=KIND_CHOICES, default="expense")
    color = StringField("Colour", default="#6b7280", validators=[COLOR],
                        render_kw={"type": "color"})


class EditCategoryForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=80)])
    color = StringField("Colour", validators=[COLOR], render_kw={"type": "color"})
    kind = SelectField("Kind", choices=KIND_CHOICES)
    parent_id = SelectField("Group", coerce=str)


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into", coerce=str, validators=[DataRequired()])


class DeleteCategoryForm(FlaskForm):
    reassign_to = SelectField("Move its transactions to", coerce=str)
