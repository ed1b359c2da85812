# ruff: noqa: F811  (the Plaid fixtures are imported, then requested by name)
"""`flask plaid link-sandbox` and `flask plaid sync` against the fake Plaid server, and
`flask keys rotate`."""

from __future__ import annotations

from datetime import date

from cryptography.fernet import Fernet
from sqlalchemy import select

from finance_app.extensions import db
from finance_app.models import PlaidItem, Transaction
from finance_app.services.bank_sync.tokens import open_access_token
from tests.factories import make_user
from tests.fakes.plaid_fixtures import app_config, fake_plaid, plaid_server  # noqa: F401


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_link_sandbox_then_sync_prints_the_totals_last(app, fake_plaid):
    with app.app_context():
        make_user("sam@example.com")
        make_user("other@example.com")
    result = _cli(app, "plaid", "link-sandbox", "--user", "sam@example.com")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"Linked First Platypus Bank (item {fake_plaid.item().item_id}) for sam@example.com: "
        "2 accounts")
    fake_item = fake_plaid.item()
    checking = fake_item.accounts[0]["account_id"]
    fake_plaid.add(fake_item, *[fake_plaid.transaction(checking, f"{i}.00", date(2026, 11, 1),
                                                       f"Shop {i}") for i in range(1, 4)])

    result = _cli(app, "plaid", "sync", "--user", "sam@example.com")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "items=1 added=3 modified=0 removed=0 errors=0"
    fake_plaid.remove(fake_item, fake_plaid.item().log[0][1]["transaction_id"])
    result = _cli(app, "plaid", "sync")
    assert result.output.splitlines()[-1] == "items=1 added=0 modified=0 removed=1 errors=0"
    assert _cli(app, "plaid", "sync", "--user", "other@example.com").output.splitlines()[-1] \
        == "items=0 added=0 modified=0 removed=0 errors=0"
    with app.app_context():
        assert len(db.session.scalars(select(Transaction)).all()) == 2


def test_sync_counts_a_failed_item_as_an_error(app, fake_plaid):
    with app.app_context():
        make_user("sam@example.com")
    _cli(app, "plaid", "link-sandbox", "--user", "sam@example.com", "--institution",
         "ins_109509")
    fake_plaid.set_item_error(fake_plaid.item(), "ITEM_LOGIN_REQUIRED")
    result = _cli(app, "plaid", "sync")
    assert result.output.splitlines()[-1] == "items=1 added=0 modified=0 removed=0 errors=1"


def test_link_sandbox_for_an_unknown_user_fails(app):
    result = _cli(app, "plaid", "link-sandbox", "--user", "nobody@example.com")
    assert result.exit_code == 1 and "no user nobody@example.com" in result.output


def test_keys_rotate_re_encrypts_with_the_first_key(app, make_app, fake_plaid):
    with app.app_context():
        make_user("sam@example.com")
    _cli(app, "plaid", "link-sandbox", "--user", "sam@example.com")
    old = app.config["TOKEN_ENCRYPTION_KEY"]
    new = Fernet.generate_key().decode()
    rotated = make_app(TOKEN_ENCRYPTION_KEY=f"{new},{old}")
    result = _cli(rotated, "keys", "rotate")
    assert result.output.strip() == (
        "Re-encrypted 1 Plaid tokens and 0 two-factor secrets with the first key.")
    with rotated.app_context():
        item = db.session.scalars(select(PlaidItem)).one()
        assert open_access_token(item, new) == fake_plaid.item().access_token
