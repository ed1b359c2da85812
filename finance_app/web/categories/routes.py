"""Routes of the categories blueprint."""

from __future__ import annotations

from flask import flash, request, url_for
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.models.ledger import Category
from finance_app.services import categories as service
from finance_app.services.errors import DomainError
from finance_app.services.scope import owned
from finance_app.web.categories import bp
from finance_app.web.categories.forms import (
    CategoryForm,
    DeleteCategoryForm,
    EditCategoryForm,
    MergeForm,
)
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.scope import current_scope


def _group_choices(empty: str | None) -> list[tuple[str, str]]:
    groups = [(str(g.id), g.name) for g, _ in service.list_tree(db.session, current_scope())]
    return ([("", empty)] if empty is not None else []) + groups


def _leaf_choices(exclude: int, empty: str | None = None) -> list[tuple[str, str]]:
    leaves = [(str(c.id), c.full_name) for c in service.list_leaves(db.session, current_scope())
              if c.id != exclude]
    return ([("", empty)] if empty is not None else []) + leaves


def _optional_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _index_page(form: CategoryForm | None = None, status: int = 200) -> tuple[str, int]:
    if form is None:
        form = CategoryForm()
    form.parent_id.choices = _group_choices("— none: add a new group —")
    return render(
        "categories/index.html", None, tree=service.list_tree(db.session, current_scope()),
        usage=service.count_usage(db.session, current_scope()), form=form,
    ), status


@bp.get("/")
def index() -> tuple[str, int]:
    return _index_page()


@bp.post("/new")
def create() -> Response | tuple[str, int]:
    form = CategoryForm()
    form.parent_id.choices = _group_choices("")
    if form.validate_on_submit():
        try:
            category = service.create_category(
                db.session, current_scope(), form.name.data or "",
                parent_id=_optional_id(form.parent_id.data), kind=form.kind.data,
                color=form.color.data,
            )
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Added “{category.name}”.", "success")
            return redirect_after_post(url_for("categories.index"))
    return _index_page(form, 422)


@bp.route("/<int:category_id>/edit", methods=["GET", "POST"])
def edit(category_id: int) -> str | Response | tuple[str, int]:
    category = owned(db.session, Category, category_id, current_scope())
    form = EditCategoryForm(obj=category)
    form.parent_id.choices = _group_choices("— it is a group —" if category.is_group else None)
    if request.method == "GET":
        form.parent_id.data = str(category.parent_id or "")
    if form.validate_on_submit():
        try:
            service.update_category(
                db.session, current_scope(), category.id, name=form.name.data,
                color=form.color.data, kind=form.kind.data,
                parent_id=_optional_id(form.parent_id.data),
            )
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Category saved.", "success")
            return redirect_after_post(url_for("categories.index"))
    status = 422 if request.method == "POST" else 200
    return render("categories/edit.html", "category_edit_form", form=form,
                  category=category), status


@bp.route("/<int:category_id>/merge", methods=["GET", "POST"])
def merge(category_id: int) -> str | Response | tuple[str, int]:
    category = owned(db.session, Category, category_id, current_scope())
    form = MergeForm()
    form.target_id.choices = _leaf_choices(category.id)
    if not category.is_group and form.validate_on_submit():
        target = owned(db.session, Category, form.target_id.data, current_scope())
        try:
            moved = service.merge_categories(db.session, current_scope(), category.id, target.id)
        except DomainError as exc:
            form.target_id.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Merged into “{target.name}”: {moved:,} transactions moved.", "success")
            return redirect_after_post(url_for("categories.index"))
    status = 422 if request.method == "POST" else 200
    return render("categories/merge.html", None, form=form, category=category,
                  usage=service.count_usage(db.session, current_scope())), status


@bp.route("/<int:category_id>/delete", methods=["GET", "POST"])
def delete(category_id: int) -> str | Response | tuple[str, int]:
    category = owned(db.session, Category, category_id, current_scope())
    form = DeleteCategoryForm()
    form.reassign_to.choices = _leaf_choices(category.id, "Leave them uncategorized")
    if form.validate_on_submit():
        reassign = _optional_id(form.reassign_to.data)
        if reassign is not None:
            owned(db.session, Category, reassign, current_scope())
        try:
            moved = service.delete_category(db.session, current_scope(), category.id, reassign)
        except DomainError as exc:
            form.reassign_to.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Deleted “{category.name}”" + (f"; {moved:,} transactions moved." if moved
                                                   else "."), "success")
            return redirect_after_post(url_for("categories.index"))
    children = [c for g, cs in service.list_tree(db.session, current_scope())
                if g.id == category.id for c in cs]
    status = 422 if request.method == "POST" else 200
    return render("categories/delete.html", None, form=form, category=category,
                  children=children,
                  usage=service.count_usage(db.session, current_scope())), status
