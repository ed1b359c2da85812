"""Every page passes axe-core with no serious or critical violation (contrast, keyboard, names).

The demo household is seeded, its owner signs in, and axe (vendored in static/vendor/axe-core,
injected here only: no page links it) checks every GET page of the URL map that takes no
parameter, plus the pages of one of each thing (an account, a transaction, a budget, a category,
a rule) and the signed-out pages. One test collects every page's violations, so a failure lists
them all at once.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from finance_app.extensions import db

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
# GET routes without parameters that are not pages: downloads, health checks, assets.
NOT_PAGES = {"static", "main.healthz", "settings.export_json", "settings.export_transactions_csv",
             "debts.schedule", "auth.logout", "reports.export_csv",
             "investments.gains_csv"}
# Pages for signed-out visitors; signed in they redirect.
SIGNED_OUT = ("/auth/login", "/auth/signup", "/auth/forgot")


@pytest.fixture()
def app_config(app_config, trained_model_dir, tmp_path):
    # A small pre-trained base model: the demo trains the full one only when none exists.
    model_dir = tmp_path / "models"
    shutil.copytree(trained_model_dir, model_dir)
    return {**app_config, "MODEL_DIR": str(model_dir)}


@pytest.fixture()
def axe_context(playwright_browser: Any, live_server: Any) -> Any:
    # The pages' CSP forbids inline scripts, rightly: only this test's browser may inject axe.
    context = playwright_browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context
    context.close()


def audit(page: Any, path: str) -> list[str]:
    """axe's serious and critical violations on `path`, one line per rule with its nodes."""
    response = page.goto(path)
    assert response is not None and response.status < 500, (path, response and response.status)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')),
            why: [...new Set(v.nodes.map(
                n => (n.any[0] || n.all[0] || n.none[0] || {}).message))]}));
    }""")
    return [
        f"{path}: {v['impact']} {v['id']} ({v['help']}) on {len(v['nodes'])} node(s): "
        + ", ".join(v["nodes"][:6]) + "".join(f"\n    {why}" for why in v["why"][:4])
        for v in result if v["impact"] in FAILING_IMPACTS
    ]


def parameterless_pages(app: Any) -> list[str]:
    pages = set()
    for rule in app.url_map.iter_rules():
        if "GET" in (rule.methods or set()) and not rule.arguments \
                and rule.endpoint not in NOT_PAGES and not rule.rule.startswith("/auth/"):
            pages.add(rule.rule)
    return sorted(pages)


def pages_with_ids(app: Any, household_id: int) -> list[str]:
    from flask import url_for

    from finance_app.models import Account, Transaction
    from finance_app.models.budget import Budget
    from finance_app.models.categorization import Rule
    from finance_app.models.ledger import Category

    def first(model: Any) -> int | None:
        return db.session.scalar(
            select(model.id).where(model.household_id == household_id).order_by(model.id).limit(1))

    pages = []
    with app.test_request_context():
        for model, endpoints, arg in (
            (Account, ("accounts.detail", "accounts.edit"), "account_id"),
            (Transaction, ("transactions.edit", "transactions.split"), "txn_id"),
            (Budget, ("budgets.edit",), "budget_id"),
            (Category, ("categories.edit", "categories.merge", "categories.delete"),
             "category_id"),
            (Rule, ("rules.edit",), "rule_id"),
        ):
            found = first(model)
            assert found is not None, f"the demo has no {model.__name__}"
            pages.extend(url_for(endpoint, **{arg: found}) for endpoint in endpoints)
    return pages


def test_every_page_has_no_serious_or_critical_axe_violation(live_server, axe_context):
    from finance_app.models import User
    from finance_app.services.demo.seed import seed_demo
    from finance_app.services.households.membership import member_scope

    app = live_server.app
    with app.app_context():
        demo = seed_demo(db.session, "demo@example.com")
        db.session.commit()
        user = db.session.scalars(select(User).where(User.email == demo.email)).one()
        household_id = member_scope(db.session, user).household_id
        with_ids = pages_with_ids(app, household_id)
    violations: list[str] = []

    page = axe_context.new_page()
    for path in SIGNED_OUT:
        violations += audit(page, path)

    page.goto("/auth/login")
    page.get_by_label("Email").fill(demo.email)
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)

    pages = parameterless_pages(app) + with_ids
    assert {"/dashboard/", "/transactions/", "/accounts/", "/accounts/net-worth",
            "/categories/", "/rules/", "/review/", "/budgets/", "/import/",
            "/settings/profile", "/settings/security", "/settings/data", "/household/",
            "/notifications/"} <= set(pages)
    for path in pages:
        violations += audit(page, path)
    page.close()
    assert violations == [], "axe found:\n" + "\n".join(violations)
