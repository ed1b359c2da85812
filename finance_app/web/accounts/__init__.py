"""Accounts, their balances, net worth and exchange rates."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from finance_app.web.accounts import routes
