"""Routes of the notifications blueprint."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from finance_app.extensions import db
from finance_app.services import notifications
from finance_app.web.auth.forms import EmptyForm
from finance_app.web.htmx import redirect_after_post, render
from finance_app.web.notifications import bp


@bp.app_context_processor
def inject_unread_count() -> dict:
    def unread_notifications() -> int:
        if not getattr(current_user, "is_authenticated", False):
            return 0
        return notifications.count_unread(db.session, current_user.id)

    return {"unread_notifications": unread_notifications}


@bp.get("/")
def index() -> str:
    items = notifications.list_notifications(db.session, current_user.id, limit=100)
    return render("notifications/index.html", "notification_list", items=items,
                  form=EmptyForm())


@bp.post("/<int:notification_id>/read")
def mark_read(notification_id: int) -> Response:
    note = notifications.mark_read(db.session, current_user.id, notification_id)
    if EmptyForm().validate_on_submit():
        db.session.commit()
    return redirect_after_post(note.link or url_for("notifications.index"))


@bp.post("/read-all")
def mark_all_read() -> Response:
    if EmptyForm().validate_on_submit():
        notifications.mark_all_read(db.session, current_user.id)
        db.session.commit()
    return redirect_after_post(url_for("notifications.index"))
