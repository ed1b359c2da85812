"""The confetti of a goal milestone: offered to base.html on the first page view after it."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy.orm import Session

from finance_app.extensions import db
from finance_app.services.goals.milestones import Celebration, take_celebration
from finance_app.web.goals import bp
from finance_app.web.scope import current_scope


@bp.app_template_global("goal_celebration")
def goal_celebration() -> Celebration | None:
    """The milestone to celebrate on this page, marked as shown.

    Written in a session and transaction of its own, so that marking it never commits (or
    rolls back) anything of the request's; full GET pages only (fragments never reach here).
    """
    if request.method != "GET" or not current_user.is_authenticated:
        return None
    scope = current_scope()
    with Session(db.engine) as session, session.begin():
        return take_celebration(session, scope)
