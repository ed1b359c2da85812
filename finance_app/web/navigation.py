"""The main navigation: features list themselves; entries whose blueprint is absent are hidden."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_login import current_user

from finance_app.models.household import Membership
from finance_app.web.scope import current_memberships, current_scope


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    icon: str
    writes: bool = False  # a page for changing data: hidden from viewers


NAV_ITEMS = [
    NavItem("Dashboard", "dashboard.index", "speedometer2"),
    NavItem("Transactions", "transactions.index", "list-ul"),
    NavItem("Accounts", "accounts.index", "bank"),
    NavItem("Budgets", "budgets.index", "pie-chart"),
    NavItem("Review", "review.index", "check2-square"),
    NavItem("Import", "upload.index", "cloud-arrow-up", writes=True),
    NavItem("Bills", "bills.index", "calendar-check"),
    NavItem("Goals", "goals.index", "flag"),
    NavItem("Debts", "debts.index", "credit-card"),
    NavItem("Investments", "investments.index", "graph-up-arrow"),
    NavItem("Reports", "reports.index", "file-earmark-bar-graph"),
    NavItem("Badges", "badges.index", "award"),
]


def visible_items() -> list[tuple[NavItem, bool]]:
    active = request.endpoint or ""
    return [
        (item, active.split(".")[0] == item.endpoint.split(".")[0])
        for item in NAV_ITEMS
        if item.endpoint in current_app.view_functions and (not item.writes or can_edit())
    ]


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation() -> dict:
        return {"nav_items": visible_items, "household_nav": household_nav,
                "can_edit": can_edit}


def household_nav() -> list[tuple[Membership, bool]]:
    """The signed-in user's households, the current one marked, for the switcher."""
    if not current_user.is_authenticated:
        return []
    current = current_scope().household_id
    return [(m, m.household_id == current) for m in current_memberships()]


def can_edit() -> bool:
    """Whether write controls show: viewers see none (their posts get a 403 anyway)."""
    return bool(current_user.is_authenticated and current_scope().can_edit)
