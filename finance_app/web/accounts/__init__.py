"""Accounts, their balances, net worth and exchange rates."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("accounts", __name__, url_prefix="/accounts")

from finance_app.web.accounts import routes
