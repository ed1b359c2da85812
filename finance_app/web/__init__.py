"""The web layer: blueprints, HTMX helpers, error pages, security headers and Jinja filters."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from finance_app.web import errors, filters, hooks, navigation, security_headers
    from finance_app.web.auth import bp as auth_bp
    from finance_app.web.jobs import bp as jobs_bp
    from finance_app.web.main import bp as main_bp
    from finance_app.web.settings import bp as settings_bp
    from finance_app.web.weekly_email import bp as weekly_email_bp

    for blueprint in (main_bp, auth_bp, settings_bp, jobs_bp, weekly_email_bp):
        app.register_blueprint(blueprint)
    for blueprint in feature_blueprints():
        app.register_blueprint(blueprint)
    errors.register(app)
    filters.register(app)
    security_headers.register(app)
    hooks.register(app)
    navigation.register(app)


def feature_blueprints() -> list:
    """Blueprints of the ledger features; each feature package adds itself here."""
    from finance_app.web.accounts import bp as accounts_bp
    from finance_app.web.admin import bp as admin_bp
    from finance_app.web.ask import bp as ask_bp
    from finance_app.web.badges import bp as badges_bp
    from finance_app.web.bank_sync import bp as bank_sync_bp
    from finance_app.web.bank_sync import webhook_bp as plaid_webhook_bp
    from finance_app.web.bills import bp as bills_bp
    from finance_app.web.bills import feed_bp as bills_feed_bp
    from finance_app.web.budgets import bp as budgets_bp
    from finance_app.web.categories import bp as categories_bp
    from finance_app.web.dashboard import bp as dashboard_bp
    from finance_app.web.debts import bp as debts_bp
    from finance_app.web.forecasts import bp as forecasts_bp
    from finance_app.web.goals import bp as goals_bp
    from finance_app.web.health_score import bp as health_score_bp
    from finance_app.web.households import bp as households_bp
    from finance_app.web.households import invitations_bp
    from finance_app.web.insights import bp as insights_bp
    from finance_app.web.investments import bp as investments_bp
    from finance_app.web.notifications import bp as notifications_bp
    from finance_app.web.reports import bp as reports_bp
    from finance_app.web.review import bp as review_bp
    from finance_app.web.rules import bp as rules_bp
    from finance_app.web.transactions import bp as transactions_bp
    from finance_app.web.upload import bp as upload_bp

    return [upload_bp, transactions_bp, dashboard_bp, budgets_bp, notifications_bp,
            accounts_bp, categories_bp, review_bp, rules_bp, households_bp, invitations_bp,
            admin_bp, debts_bp, goals_bp, forecasts_bp, insights_bp, reports_bp,
            health_score_bp, badges_bp,
            investments_bp,
            bills_bp, bills_feed_bp, bank_sync_bp, plaid_webhook_bp, ask_bp]
