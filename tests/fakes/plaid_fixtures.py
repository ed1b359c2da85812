"""Fixtures for bank sync tests: the fake Plaid server, an app pointed at it, a linked Item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.plaid_server import CLIENT_ID, SECRET, FakePlaid, FakePlaidServer


@pytest.fixture()
def plaid_server() -> Iterator[FakePlaidServer]:
    with FakePlaidServer() as server:
        yield server


@pytest.fixture()
def fake_plaid(plaid_server: FakePlaidServer) -> FakePlaid:
    return plaid_server.fake


@pytest.fixture()
def app_config(app_config: dict[str, Any], plaid_server: FakePlaidServer) -> dict[str, Any]:
    return {**app_config, "PLAID_CLIENT_ID": CLIENT_ID, "PLAID_SECRET": SECRET,
            "PLAID_ENV": "sandbox", "PLAID_HOST": plaid_server.url,
            "PLAID_RETRY_BASE_SECONDS": 0.0}
