"""Browser tests: the app served on 127.0.0.1 by a thread, driven by Debian's chromium.

Fixtures:
- `live_server`: a `LiveServer` with `.url` (e.g. "http://127.0.0.1:54321") and `.app` (the Flask
  app, for `with live_server.app.app_context(): ...` set-up through services). Jobs run inline.
- `browser_page`: a fresh Playwright `Page` (own context, so own cookies) in headless chromium.
- `signed_in_page`: a page already signed in as alice@example.com (a verified user created
  through `make_user`); its `.user_id` attribute is the user's id.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture()
def live_server(app: Flask) -> Iterator[LiveServer]:
    app.config["APP_BASE_URL"] = "http://127.0.0.1"  # fixed below once the port is known
    server = LiveServer(app)
    app.config["APP_BASE_URL"] = server.url
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_browser() -> Iterator[Any]:
    if not shutil.which("chromium") and not shutil.os.path.exists(CHROMIUM):  # type: ignore[attr-defined]
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def browser_page(playwright_browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = playwright_browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text)
        if msg.type == "error" and "Content Security Policy" in msg.text
        else None,
    )
    yield page
    context.close()
    # A CSP violation or an uncaught script error fails the test that caused it.
    assert errors == [], f"browser errors: {errors}"


@pytest.fixture()
def signed_in_page(browser_page: Any, live_server: LiveServer) -> Any:
    with live_server.app.app_context():
        uid = make_user("alice@example.com").id
    browser_page.goto("/auth/login")
    browser_page.get_by_label("Email").fill("alice@example.com")
    browser_page.get_by_label("Password").fill(PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.wait_for_url(lambda url: "/auth/login" not in url)
    browser_page.user_id = uid
    return browser_page
