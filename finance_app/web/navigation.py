"""The main navigation: features list themselves; entries whose blueprint is absent are hidden."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    icon: str


NAV_ITEMS = [
    NavItem("Dashboard", "dashboard.index", "speedometer2"),
    NavItem("Transactions", "transactions.index", "list-ul"),
    NavItem("Accounts", "accounts.index", "bank"),
    NavItem("Budgets", "budgets.index", "pie-chart"),
    NavItem("Review", "review.index", "check2-square"),
    NavItem("Import", "upload.index", "cloud-arrow-up"),
    NavItem("Goals", "goals.index", "flag"),
    NavItem("Debts", "debts.index", "credit-card"),
    NavItem("Reports", "reports.index", "file-earmark-bar-graph"),
]


def visible_items() -> list[tuple[NavItem, bool]]:
    active = request.endpoint or ""
    return [
        (item, active.split(".")[0] == item.endpoint.split(".")[0])
        for item in NAV_ITEMS
        if item.endpoint in current_app.view_functions
    ]


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict:
        return {"nav_items": visible_items}
