"""Profile, security (password, two-factor, sessions, audit log) of the signed-in user."""

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/settings")

from finance_app.web.settings import routes
