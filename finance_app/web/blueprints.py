"""Blueprints for signed-in users: every view of one requires login, declared once here.

A household blueprint also turns a viewer's writes away: any request that is not a GET or HEAD
answers 403 with a page that says why, so no write route can forget the check. A route that
changes only the member's own settings says so explicitly with `@personal`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, request
from flask_login import login_required

from finance_app.web.scope import current_scope

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PERSONAL_ATTRIBUTE = "ledgerly_personal_write"
F = TypeVar("F", bound=Callable[..., Any])
VIEWER_MESSAGE = ("You can look at this household's money but not change it: your role is "
                  "viewer. Ask an owner to make you an editor.")


@login_required
def _require_login() -> None:
    return None


def personal(view: F) -> F:
    """Mark a write that changes only the signed-in member's own settings (their alert
    channels, thresholds, phone), not household data: viewers may make it too. Put it under
    the route decorator."""
    setattr(view, PERSONAL_ATTRIBUTE, True)
    return view


def _require_editor() -> None:
    if request.method not in READ_METHODS and not current_scope().can_edit:
        view = current_app.view_functions.get(request.endpoint or "")
        if not getattr(view, PERSONAL_ATTRIBUTE, False):
            abort(403, description=VIEWER_MESSAGE)


def members_blueprint(name: str, import_name: str, url_prefix: str, *,
                      household_data: bool = True) -> Blueprint:
    """A blueprint whose every route sends anonymous visitors to the sign-in page; when it
    changes household data (`household_data`), viewers may only read."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)
    blueprint.before_request(_require_login)
    if household_data:
        blueprint.before_request(_require_editor)
    return blueprint
