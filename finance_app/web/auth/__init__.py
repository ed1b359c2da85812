"""Sign-up, email verification, sign-in with a second step, sign-out and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from finance_app.web.auth import routes
