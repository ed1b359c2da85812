"""Bank sync pages: connect a bank with Plaid Link, match its accounts, the connections with
their status and runs, Sync now, re-authentication, unlinking; and Plaid's webhook."""

from flask import Blueprint

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("bank_sync", __name__, url_prefix="/bank-sync")
# Plaid calls this one: no session, no CSRF token; its JWT is what proves the sender.
webhook_bp = Blueprint("plaid_webhook", __name__, url_prefix="/webhooks")

from finance_app.web.bank_sync import routes, webhook
