"""The transactions page: search and filters, inline edits, bulk actions, splits, transfers,
receipts and saved views."""

from flask import Blueprint

bp = Blueprint("transactions", __name__, url_prefix="/transactions")

from finance_app.web.transactions import routes
