"""The transactions page: search and filters, inline edits, bulk actions, splits, transfers,
receipts and saved views."""

from finance_app.web.blueprints import members_blueprint

bp = members_blueprint("transactions", __name__, url_prefix="/transactions")

from finance_app.web.transactions import routes
