"""Profile, security (password, two-factor, sessions, audit log) of the signed-in user."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("settings", __name__, url_prefix="/settings", household_data=False)

from finance_app.web.settings import routes
