"""Badges: what the household has achieved, and how close it is to the rest."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("badges", __name__, url_prefix="/badges")

from finance_app.web.badges import routes
