"""Blueprints for signed-in users: every view of one requires login, declared once here."""

from __future__ import annotations

from flask import Blueprint
from flask_login import login_required


@login_required
def _require_login() -> None:
    return None


def members_blueprint(name: str, import_name: str, url_prefix: str) -> Blueprint:
    """A blueprint whose every route sends anonymous visitors to the sign-in page."""
    blueprint = Blueprint(name, import_name, url_prefix=url_prefix)
    blueprint.before_request(_require_login)
    return blueprint
