"""Bank sync service tests run against the fake Plaid server through plaid-python."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from finance_app.extensions import db
from finance_app.integrations.plaid import PlaidClient, PlaidSettings
from finance_app.models import PlaidItem, User
from finance_app.services.bank_sync import items
from tests.factories import make_user, scope_of
from tests.fakes.plaid_fixtures import app_config, fake_plaid, plaid_server  # noqa: F401
from tests.fakes.plaid_server import CLIENT_ID, SECRET, FakeItem, FakePlaid, FakePlaidServer


@pytest.fixture()
def plaid(ctx: Flask, plaid_server: FakePlaidServer) -> Iterator[PlaidClient]:  # noqa: F811
    """The real plaid-python client, pointed at the fake server."""
    with PlaidClient(PlaidSettings(CLIENT_ID, SECRET, host=plaid_server.url)) as client:
        yield client


@pytest.fixture()
def keys(ctx: Flask) -> str:
    return str(ctx.config["TOKEN_ENCRYPTION_KEY"])


@pytest.fixture()
def owner(ctx: Flask) -> User:
    return make_user("owner@example.com")


class Linked:
    """A linked, matched Item and its twin at the fake server."""

    def __init__(self, item: PlaidItem, fake_item: FakeItem, fake: FakePlaid) -> None:
        self.item, self.fake_item, self.fake = item, fake_item, fake
        self.checking_id = fake_item.accounts[0]["account_id"]
        self.card_id = fake_item.accounts[1]["account_id"]

    def account_id(self, plaid_account_id: str) -> int:
        row = next(a for a in self.item.accounts if a.plaid_account_id == plaid_account_id)
        assert row.account_id is not None
        return row.account_id


def link(owner: User, client: PlaidClient, fake: FakePlaid, keys: str,
         choices: dict[int, str] | None = None, **item_kwargs: Any) -> Linked:
    fake_item = fake.create_item(**item_kwargs)
    scope = scope_of(owner)
    item = items.link_item(db.session, scope, client, fake.issue_public_token(fake_item), keys)
    items.match_accounts(db.session, scope, item, choices or {})
    db.session.commit()
    return Linked(item, fake_item, fake)


@pytest.fixture()
def linked(owner: User, plaid: PlaidClient, fake_plaid: FakePlaid,  # noqa: F811
           keys: str) -> Linked:
    return link(owner, plaid, fake_plaid, keys)
