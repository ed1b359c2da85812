"""Screenshots of the first hour at a laptop's and a phone's width, in Debian's chromium.

Against a running app with the demo seeded (`bash .ci/serve`, or `flask demo` then `flask run`):

    .venv/bin/python docs/screenshots/capture.py [--base-url http://127.0.0.1:5000]

Writes docs/screenshots/{first-run,dashboard,transactions}-{1280,390}.png. The first-run page
is a brand-new account, signed up through the form.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
DEMO = ("demo@example.com", "demo-ledger-horse-battery")
WIDTHS = (1280, 390)


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def sign_up(page: Page, base: str) -> tuple[str, str]:
    email, password = f"new-{uuid.uuid4().hex[:8]}@example.com", "a new ledger horse battery 7"
    page.goto(f"{base}/auth/signup")
    page.get_by_label("Your name").fill("Robin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")
    return email, password


def shoot(page: Page, base: str, path: str, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # charts draw after load
    page.screenshot(path=str(HERE / f"{name}-{width}.png"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        newcomer = browser.new_context().new_page()
        sign_in(newcomer, base, *sign_up(newcomer, base))
        demo = browser.new_context().new_page()
        sign_in(demo, base, *DEMO)
        for width in WIDTHS:
            shoot(newcomer, base, "/dashboard/", "first-run", width)
            shoot(demo, base, "/dashboard/", "dashboard", width)
            shoot(demo, base, "/transactions/", "transactions", width)
        browser.close()
    print("\n".join(sorted(str(p.relative_to(HERE.parents[1])) for p in HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
