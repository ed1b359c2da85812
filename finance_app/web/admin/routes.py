"""Routes of the admin blueprint."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.jobs import redis_connection
from finance_app.services.errors import DomainError
from finance_app.services.households import admin
from finance_app.web.admin import bp
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.client import client_info
from finance_app.web.htmx import redirect_after_post, render


@bp.get("/")
def index() -> str:
    return render("admin/index.html", "queue-health", users=admin.list_users(db.session),
                  queues=admin.queue_health(db.session, redis_connection()), form=EmptyForm())


def _set_disabled(user_id: int, disabled: bool) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            user = admin.set_disabled(db.session, current_user, user_id, disabled,
                                      client_info())
            db.session.commit()
            flash(f"{user.email} is {'disabled' if disabled else 'enabled'}.", "success")
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "danger")
    return redirect_after_post(url_for("admin.index"))


@bp.post("/users/<int:user_id>/disable")
def disable_user(user_id: int) -> Response:
    return _set_disabled(user_id, True)


@bp.post("/users/<int:user_id>/enable")
def enable_user(user_id: int) -> Response:
    return _set_disabled(user_id, False)
